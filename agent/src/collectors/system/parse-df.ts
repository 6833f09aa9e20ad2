import { parseFailed } from "./parse-fields.ts";

const SOURCE = "df";

export interface DfEntry {
  filesystem: string;
  /** Present with `df -T`. */
  fstype: string | null;
  size_bytes: number;
  used_bytes: number;
  available_bytes: number;
  /** Null where df prints `-` (pseudo filesystems without blocks). */
  use_pct: number | null;
  mountpoint: string;
  /** `df -h` rounds: sizes are then accurate to the printed digits only. */
  approximate: boolean;
}

/**
 * Parses `df` as GNU coreutils prints it: the default (`1K-blocks`), POSIX (`-P`: `1024-blocks` or
 * `512-blocks`, `Capacity`), `-T` (a Type column) and `-h` (`Size`, human sizes in powers of 1024). A
 * filesystem name too long for its column is printed alone on its line and its figures on the next;
 * both lines make one entry. Mount points may contain spaces: they are the rest of the line.
 */
export function parseDf(text: string): DfEntry[] {
  const lines = text.split("\n");
  const headerIndex = lines.findIndex((l) => l.trim() !== "");
  const header = lines[headerIndex] ?? "";
  const columns =
    /^Filesystem\s+(Type\s+)?(\S+)\s+Used\s+Avail(?:able)?\s+(?:Use%|Capacity)\s+Mounted on\s*$/.exec(header);
  if (columns === null)
    throw parseFailed(SOURCE, "no df header line", { line: headerIndex + 1, excerpt: header });
  const typed = columns[1] !== undefined;
  const unit = blockSize(columns[2] ?? "", headerIndex + 1, header);
  const row = typed
    ? /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+%|-)\s+(.+)$/
    : /^(\S+)\s+()(\S+)\s+(\S+)\s+(\S+)\s+(\d+%|-)\s+(.+)$/;
  const entries: DfEntry[] = [];
  let pending: string | null = null;
  let pendingLine = 0;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (raw.trim() === "") continue;
    const where = { line: i + 1, excerpt: raw };
    if (pending === null && /^\S+$/.test(raw)) {
      pending = raw; // the wrapped filesystem name; its figures follow
      pendingLine = i + 1;
      continue;
    }
    const line = pending === null ? raw : `${pending} ${raw.trim()}`;
    pending = null;
    const match = row.exec(line);
    if (match === null) throw parseFailed(SOURCE, "row does not match the header's columns", where);
    const [, filesystem = "", fstype = "", size = "", used = "", available = "", pct = "", mountpoint = ""] =
      match;
    entries.push({
      filesystem,
      fstype: typed ? fstype : null,
      size_bytes: toBytes(size, unit, where),
      used_bytes: toBytes(used, unit, where),
      available_bytes: toBytes(available, unit, where),
      use_pct: pct === "-" ? null : Number(pct.slice(0, -1)),
      mountpoint: mountpoint.trimEnd(),
      approximate: unit === null,
    });
  }
  if (pending !== null)
    throw parseFailed(SOURCE, "input ends after a filesystem name", { line: pendingLine, excerpt: pending });
  return entries;
}

/** Bytes per block from the size column's title; null for human-readable sizes (`Size`). */
function blockSize(title: string, line: number, excerpt: string): number | null {
  if (title === "Size") return null;
  const match = /^(\d+)([KMG]?)-blocks$/.exec(title);
  if (match === null) throw parseFailed(SOURCE, `unknown size column ${title}`, { line, excerpt });
  const scale = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2] ?? ""] ?? 1;
  return Number(match[1]) * scale;
}

const HUMAN = /^(\d+(?:\.\d+)?)([KMGTPEZY]?)$/;
const POWERS = ["", "K", "M", "G", "T", "P", "E", "Z", "Y"];

function toBytes(token: string, unit: number | null, where: { line: number; excerpt: string }): number {
  if (unit !== null) {
    if (!/^\d+$/.test(token)) throw parseFailed(SOURCE, `${token} is not a block count`, where);
    return Number(token) * unit;
  }
  const match = HUMAN.exec(token);
  if (match === null) throw parseFailed(SOURCE, `${token} is not a human-readable size`, where);
  return Math.round(Number(match[1]) * 1024 ** POWERS.indexOf(match[2] ?? ""));
}
