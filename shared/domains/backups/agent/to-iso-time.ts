/** RFC 3339 with up to nanoseconds (Go's time.Time) -> ISO with milliseconds, or null. */
export function toIsoTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${(m[2] ?? ".000").padEnd(4, "0").slice(0, 4)}${m[3]}`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
