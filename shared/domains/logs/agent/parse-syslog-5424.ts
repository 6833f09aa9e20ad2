import type { LogEntry } from "../schema.ts";

type Parsed = Pick<LogEntry, "time" | "hostname" | "identifier" | "pid" | "message">;

/**
 * RFC 5424 after `<PRI>1 `: `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`, `-` for
 * a missing value. Structured data is skipped (it is not the message); the MSG's UTF-8 BOM is dropped.
 * Returns null when the header does not have that shape.
 */
export function parseRfc5424Rest(rest: string): Parsed | null {
  const header = /^(\S+) (\S+) (\S+) (\S+) (\S+) /.exec(rest);
  if (header === null) return null;
  const [, stamp = "", host = "", app = "", procId = "", _msgId] = header;
  const time = stamp === "-" ? null : new Date(stamp);
  if (time === null || Number.isNaN(time.getTime()) || !/^\d{4}-\d\d-\d\dT/.test(stamp)) return null;
  const afterSd = skipStructuredData(rest.slice(header[0].length));
  if (afterSd === null) return null;
  const message = afterSd.replace(/^ /, "").replace(/^\uFEFF/, "");
  const pid = /^\d{1,7}$/.test(procId) ? Number(procId) : null;
  return {
    time: time.toISOString(),
    hostname: nil(host).slice(0, 255),
    identifier: nil(app).slice(0, 255),
    pid: pid !== null && pid > 0 && pid <= 4_194_304 ? pid : null,
    message,
  };
}

function nil(value: string): string {
  return value === "-" ? "" : value;
}

/** What follows STRUCTURED-DATA: `-`, or `[...]` elements whose quoted values may hold `\]` and spaces. */
function skipStructuredData(text: string): string | null {
  if (text.startsWith("-")) return text.slice(1);
  let i = 0;
  if (text[0] !== "[") return null;
  while (text[i] === "[") {
    let quoted = false;
    i++;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\\") i++;
      else if (ch === '"') quoted = !quoted;
      else if (ch === "]" && !quoted) break;
    }
    if (i >= text.length) return null;
    i++;
  }
  return text.slice(i);
}
