import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
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

/** One entry's lines: a name wrapped onto its own line, then the figures; or both on one line. */
interface DfRow {
  line: number;
  text: string;
  /** The wrapped name, when the figures are on the next line. */
  wrapped: string | null;
}

/**
 * Parses `df` as GNU coreutils prints it: the default (`1K-blocks`), POSIX (`-P`: `1024-blocks` or
 * `512-blocks`, `Capacity`), `-T` (a Type column) and `-h` (`Size`, human sizes in powers of 1024). A
 * filesystem name too long for its column is printed alone on its line and its figures on the next,
 * indented; both lines make one entry. Mount points may contain spaces: they are the rest of the line.
 * A row that cannot be read is an item error beside the others; no header, or a second header (two
 * outputs run together), refuses the whole output.
 */
export function parseDf(text: string): ItemsParse<DfEntry> {
  const lines = text.split("\n");
  const headerIndex = lines.findIndex((l) => l.trim() !== "");
  const header = lines[headerIndex] ?? "";
  const columns = HEADER.exec(header);
  if (columns === null)
    throw parseFailed(SOURCE, "no df header line", { line: headerIndex + 1, excerpt: header });
  const typed = columns[1] !== undefined;
  const unit = blockSize(columns[2] ?? "", headerIndex + 1, header);
  const rows: DfRow[] = [];
  let pending: DfRow | null = null;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (raw.trim() === "") continue;
    if (HEADER.test(raw)) {
      throw parseFailed(SOURCE, "a second header: two outputs run together?", { line: i + 1, excerpt: raw });
    }
    // The figures of a wrapped name are indented; anything else means the name lost its figures.
    if (pending !== null && /^\s/.test(raw)) {
      rows.push({ ...pending, text: `${pending.text}\n${raw}` });
      pending = null;
      continue;
    }
    if (pending !== null) rows.push(pending);
    pending = null;
    if (/^\S+$/.test(raw)) pending = { line: i + 1, text: raw, wrapped: raw };
    else rows.push({ line: i + 1, text: raw, wrapped: null });
  }
  if (pending !== null) rows.push(pending);
  const row = typed
    ? /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+%|-)\s+(.+)$/
    : /^(\S+)\s+()(\S+)\s+(\S+)\s+(\S+)\s+(\d+%|-)\s+(.+)$/;
  return parseEachItem(
    rows.map((r) => ({ name: /^\S+/.exec(r.text)?.[0] ?? null, line: r.line, text: r.text, input: r })),
    ({ input }) => {
      const where = { line: input.line, excerpt: input.text.split("\n")[0] ?? "" };
      const parts = input.text.split("\n");
      if (input.wrapped !== null && parts.length === 1) {
        throw parseFailed(SOURCE, "a filesystem name without its figures", where);
      }
      const line = input.wrapped === null ? input.text : `${input.wrapped} ${(parts[1] ?? "").trim()}`;
      const match = row.exec(line);
      if (match === null) throw parseFailed(SOURCE, "row does not match the header's columns", where);
      const [
        ,
        filesystem = "",
        fstype = "",
        size = "",
        used = "",
        available = "",
        pct = "",
        mountpoint = "",
      ] = match;
      return {
        filesystem,
        fstype: typed ? fstype : null,
        size_bytes: toBytes(size, unit, where),
        used_bytes: toBytes(used, unit, where),
        available_bytes: toBytes(available, unit, where),
        use_pct: pct === "-" ? null : Number(pct.slice(0, -1)),
        mountpoint: mountpoint.trimEnd(),
        approximate: unit === null,
      };
    },
  );
}

const HEADER = /^Filesystem\s+(Type\s+)?(\S+)\s+Used\s+Avail(?:able)?\s+(?:Use%|Capacity)\s+Mounted on\s*$/;

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
