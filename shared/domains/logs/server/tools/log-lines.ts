import { z } from "zod";
import { PRIORITY_NAMES, type PriorityName } from "../../agent/priority.ts";
import type { LogEntry } from "../../schema.ts";

/** A message is cut to this many characters in an answer (the full line stays in the store). */
export const MESSAGE_MAX_CHARS = 1000;

export const LogLineSchema = z.object({
  time: z.string(),
  priority: z.enum(PRIORITY_NAMES).nullable().describe("syslog severity; null when the source did not say"),
  unit: z.string().describe("systemd unit; empty for syslog lines"),
  identifier: z.string().describe("syslog identifier (program)"),
  pid: z.number().nullable(),
  hostname: z.string(),
  message: z.string(),
  message_truncated: z.boolean().optional().describe("true when the message was cut"),
});
export type LogLine = z.infer<typeof LogLineSchema>;

export const PriorityArg = z
  .enum(PRIORITY_NAMES)
  .describe(
    "Only entries of this severity and worse: emerg, alert, crit, err, warning, notice, info, debug " +
      "(entries of unknown severity are left out when given).",
  );

export function priorityName(n: number | null): PriorityName | null {
  return n === null ? null : (PRIORITY_NAMES[n] ?? null);
}

export function toLogLine(
  e: Omit<LogEntry, "entry_id" | "facility" | "time"> & { time: string | Date },
): LogLine {
  const cut = e.message.length > MESSAGE_MAX_CHARS;
  return {
    time: new Date(e.time).toISOString(),
    priority: priorityName(e.priority),
    unit: e.unit,
    identifier: e.identifier,
    pid: e.pid,
    hostname: e.hostname,
    message: cut ? `${e.message.slice(0, MESSAGE_MAX_CHARS - 1)}…` : e.message,
    ...(cut ? { message_truncated: true } : {}),
  };
}

/** `2025-11-24T21:03:44.120Z err nginx.service/nginx[123]: message` */
export function renderLogLine(l: LogLine, maxChars: number): string {
  const who = [l.unit, l.identifier].filter((s) => s !== "").join("/") || "?";
  const message = l.message.length > maxChars ? `${l.message.slice(0, maxChars - 1)}…` : l.message;
  return `${l.time} ${l.priority ?? "-"} ${who}${l.pid === null ? "" : `[${l.pid}]`}: ${message}`;
}

/** Count per severity name ("unknown" for null). */
export function countByPriority(lines: readonly { priority: PriorityName | null }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const key = l.priority ?? "unknown";
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
