import { createHash } from "node:crypto";
import { cleanText } from "@infrastructor/lib/collect/clean-text.ts";
import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { LOG_MESSAGE_MAX_CHARS, type LogEntry } from "../schema.ts";
import { clipMessage } from "./priority.ts";

const SOURCE = "journalctl -o json";

/** One journal entry and the cursor to continue after it. */
export interface JournalRecord {
  cursor: string;
  entry: LogEntry;
}

/**
 * Parses one line of `journalctl -o json --all` (systemd's JSON export format, one object per line).
 * Field values are strings, but a field present twice is an array, and a value that is not valid UTF-8
 * is an array of byte values: both are handled. Throws PARSE_FAILED naming `lineNo` for anything that
 * is not such an object with `__CURSOR` and `__REALTIME_TIMESTAMP`.
 */
export function parseJournalLine(line: string, lineNo: number): JournalRecord {
  const fail = (message: string): Error => parseFailed(SOURCE, message, { line: lineNo, excerpt: line });
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw fail("not a JSON object (cut off?)");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw fail("not a JSON object");
  const fields = raw as Record<string, unknown>;
  const cursor = text(fields.__CURSOR);
  const realtimeUs = text(fields.__REALTIME_TIMESTAMP);
  if (cursor === "" || !/^\d{1,20}$/.test(realtimeUs)) throw fail("no __CURSOR or __REALTIME_TIMESTAMP");
  const time = new Date(Number(BigInt(realtimeUs) / 1000n));
  if (Number.isNaN(time.getTime())) throw fail("__REALTIME_TIMESTAMP out of range");
  return {
    cursor,
    entry: {
      time: time.toISOString(),
      entry_id: `j:${createHash("sha256").update(cursor).digest("base64url").slice(0, 22)}`,
      priority: small(fields.PRIORITY, 7),
      facility: small(fields.SYSLOG_FACILITY, 23),
      hostname: text(fields._HOSTNAME).slice(0, 255),
      // systemd (PID 1) writes about a unit with UNIT=; its own _SYSTEMD_UNIT is init.scope.
      unit: text(fields.UNIT || fields.USER_UNIT || fields._SYSTEMD_UNIT).slice(0, 255),
      identifier: text(fields.SYSLOG_IDENTIFIER || fields._COMM).slice(0, 255),
      pid: pid(text(fields._PID || fields.SYSLOG_PID)),
      message: clipMessage(text(fields.MESSAGE), LOG_MESSAGE_MAX_CHARS),
    },
  };
}

/**
 * `agent parse logs journal-json`: each line on its own. A line that is not an entry (cut, not JSON,
 * no cursor or time) is an item error naming its line; it cannot be kept as an entry, since without
 * a cursor and a time it has neither an id nor a place.
 */
export function parseJournalJson(input: string): ItemsParse<JournalRecord> {
  const lines = input
    .split("\n")
    .flatMap((text, i) => (text.trim() === "" ? [] : [{ name: null, line: i + 1, text, input: text }]));
  return parseEachItem(lines, (r) => parseJournalLine(r.input, r.line ?? 0));
}

/**
 * A field's value as text: the first of repeated values; byte arrays (journald's binary fields, which
 * any local process can write) decoded as UTF-8 (lossy), and NUL cleaned to U+FFFD (kept visible, not
 * dropped: one such entry must not cost the poll the entries beside it).
 */
function text(value: unknown): string {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "number")) {
      return cleanText(Buffer.from(value as number[]).toString("utf8"));
    }
    return text(value[0]);
  }
  return "";
}

function small(value: unknown, max: number): number | null {
  const t = text(value);
  if (!/^\d{1,2}$/.test(t)) return null;
  const n = Number(t);
  return n <= max ? n : null;
}

function pid(t: string): number | null {
  if (!/^\d{1,7}$/.test(t)) return null;
  const n = Number(t);
  return n > 0 && n <= 4_194_304 ? n : null;
}
