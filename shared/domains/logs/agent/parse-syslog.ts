import { cleanText } from "@infrastructor/lib/collect/clean-text.ts";
import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { LOG_MESSAGE_MAX_CHARS, type LogEntry } from "../schema.ts";
import { parseRfc5424Rest } from "./parse-syslog-5424.ts";
import { clipMessage } from "./priority.ts";

const SOURCE = "syslog";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface SyslogOptions {
  /** RFC 3164 stamps have no year: the one that puts the line at most a day after `now`. */
  now: Date;
  /** RFC 3164 stamps have no zone either: the writer's, which is the host's ("local"). */
  zone: "local" | "utc";
}

/** `<PRI>` then the rest. PRI is facility * 8 + severity, at most 191. */
const PRI = /^<(\d{1,6})>/;
/** RFC 3164: `Mmm dd hh:mm:ss HOST rest`, day padded with a space. */
const BSD = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\S+) ?(.*)$/;
/** rsyslog's high-precision file format: an RFC 3339 stamp in place of the BSD one. */
const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) (\S+) ?(.*)$/;
/** `tag[pid]: message`, the tag possibly with a `(suffix)` as PAM writes it. */
const TAG = /^([^\s[\]:]+)(?:\[(\d{1,7})\])?: ?(.*)$/;

/**
 * Parses one line of a syslog file: RFC 3164 (`<34>Oct 11 22:14:15 host su: ...`, with or without
 * `<PRI>`, as rsyslog's traditional file format writes it), rsyslog's RFC 3339-stamped format, or RFC
 * 5424 (`<34>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg`). Throws PARSE_FAILED naming
 * `lineNo` for anything else (a bad PRI, no timestamp).
 */
export function parseSyslogLine(
  line: string,
  lineNo: number,
  entryId: string,
  options: SyslogOptions,
): LogEntry {
  const fail = (message: string): Error => parseFailed(SOURCE, message, { line: lineNo, excerpt: line });
  // A NUL-filled tail (a crash while the file grew) or a NUL a program logged: cleaned, not fatal.
  let rest = cleanText(line).trimEnd();
  let pri: number | null = null;
  const priMatch = PRI.exec(rest);
  if (priMatch !== null) {
    pri = Number(priMatch[1]);
    if (pri > 191) throw fail(`PRI ${pri} is above 191`);
    rest = rest.slice(priMatch[0].length);
  }
  const base = {
    entry_id: entryId,
    priority: pri === null ? null : pri % 8,
    facility: pri === null ? null : Math.floor(pri / 8),
    unit: "",
  };
  if (pri !== null && rest.startsWith("1 ")) {
    const parsed = parseRfc5424Rest(rest.slice(2));
    if (parsed === null) throw fail("not RFC 5424 after `<PRI>1`");
    return { ...base, ...parsed, message: clipMessage(parsed.message, LOG_MESSAGE_MAX_CHARS) };
  }
  let time: Date;
  let host: string;
  let body: string;
  const bsd = BSD.exec(rest);
  const iso = bsd === null ? ISO.exec(rest) : null;
  if (bsd !== null) {
    const [, mon = "", day = "", hh = "", mm = "", ss = "", h = "", b = ""] = bsd;
    const month = MONTHS.indexOf(mon);
    if (month < 0) throw fail(`unknown month ${mon}`);
    time = bsdTime(month, Number(day.trim()), Number(hh), Number(mm), Number(ss), options);
    host = h;
    body = b;
  } else if (iso !== null) {
    time = new Date(iso[1] ?? "");
    host = iso[2] ?? "";
    body = iso[3] ?? "";
  } else {
    throw fail("no RFC 3164 or RFC 3339 timestamp");
  }
  if (Number.isNaN(time.getTime())) throw fail("timestamp out of range");
  // `avas: last message repeated 11 times`: syslogd's own line, the host followed by a colon.
  if (host.endsWith(":")) {
    return {
      ...base,
      time: time.toISOString(),
      hostname: host.slice(0, -1).slice(0, 255),
      identifier: "",
      pid: null,
      message: clipMessage(body, LOG_MESSAGE_MAX_CHARS),
    };
  }
  const tag = TAG.exec(body);
  const pid = tag?.[2] === undefined ? null : Number(tag[2]);
  return {
    ...base,
    time: time.toISOString(),
    hostname: host.slice(0, 255),
    identifier: (tag?.[1] ?? "").slice(0, 255),
    pid: pid !== null && pid > 0 && pid <= 4_194_304 ? pid : null,
    message: clipMessage(tag === null ? body : (tag[3] ?? ""), LOG_MESSAGE_MAX_CHARS),
  };
}

/**
 * `agent parse logs syslog`: each non-empty line on its own; a line that is not a syslog line is an
 * item error named by its entry id (`line:N`), the lines around it are read.
 */
export function parseSyslog(input: string, options: SyslogOptions): ItemsParse<LogEntry> {
  const lines = input
    .split("\n")
    .flatMap((text, i) =>
      text.trim() === "" ? [] : [{ name: `line:${i + 1}`, line: i + 1, text, input: text }],
    );
  return parseEachItem(lines, (r) => parseSyslogLine(r.input, r.line ?? 0, r.name ?? "", options));
}

function bsdTime(month: number, day: number, h: number, m: number, s: number, options: SyslogOptions): Date {
  const at = (year: number): Date =>
    options.zone === "utc"
      ? new Date(Date.UTC(year, month, day, h, m, s))
      : new Date(year, month, day, h, m, s);
  const year = options.zone === "utc" ? options.now.getUTCFullYear() : options.now.getFullYear();
  const guess = at(year);
  // A December line read in January belongs to last year.
  return guess.getTime() > options.now.getTime() + 86_400_000 ? at(year - 1) : guess;
}
