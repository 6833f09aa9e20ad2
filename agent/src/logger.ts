import pino, { type Logger } from "pino";

export type { Logger } from "pino";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The agent's only logger: JSON lines on stderr (stdout belongs to `--once`). Synchronous writes, so
 * the last lines before an exit are not lost, and no transport worker thread, which a compiled
 * single-file binary could not load.
 */
export function createLogger(level: LogLevel = "info"): Logger {
  return pino(
    { level, base: { app: "infrastructor-agent" }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: 2, sync: true }),
  );
}
