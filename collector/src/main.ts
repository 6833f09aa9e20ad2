import { AppError } from "@infrastructor/shared/errors.ts";
import { loadCollectorConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startCollector } from "./service.ts";

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
  const collector = await startCollector(config, log);
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping");
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
