import pino, { type Logger } from "pino";

export type { Logger };

/** Structured JSON lines on stdout; one logger per process, children per component. */
export function createLogger(level: string, name = "collector"): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}
