import { AppError } from "@infrastructor/shared/errors.ts";
import { loadCollectorConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startCollector } from "./service.ts";

/** After stop()'s own bound: time for its last steps (closing sockets) before the process just exits. */
const FORCE_EXIT_GRACE_MS = 5_000;

/** `bun collector/src/main.ts`: configuration from the environment, stops cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadCollectorConfig>;
  try {
    config = loadCollectorConfig();
  } catch (err) {
    console.error(err instanceof AppError ? `${err.code}: ${err.message}` : String(err));
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  // A background read (a metric, a maintenance run) whose rejection nobody awaited must not take
  // ingest, the API and /health down with it: one loaded CI run saw the collector gone during a database
  // outage. Logged loudly so the missing catch is found; unacked messages are safe either way.
  process.on("unhandledRejection", (err) => {
    log.error({ err }, "unhandled rejection (a missing catch): the collector goes on");
  });
  const collector = await startCollector(config, log);
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal }, "second signal: exiting now");
        process.exit(1);
      }
      stopping = true;
      log.info({ signal, stop_timeout_ms: config.stopTimeoutMs }, "stopping");
      // The last word: whatever stop() is waiting for (a wedged pool, a silent server), the process
      // ends a little after COLLECTOR_STOP_TIMEOUT. Unacked messages are redelivered to the next run.
      setTimeout(() => {
        log.error({ stop_timeout_ms: config.stopTimeoutMs }, "stop did not finish in time: exiting");
        process.exit(1);
      }, config.stopTimeoutMs + FORCE_EXIT_GRACE_MS).unref();
      collector.stop().then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, "unclean stop");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err) => {
  console.error(err instanceof AppError ? `${err.code}: ${err.message}` : err);
  process.exit(1);
});
