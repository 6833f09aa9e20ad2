import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { refuseIfNothingRead, wholeLines } from "@infrastructor/lib/collect/whole-lines.ts";
import type { PendingUpdate } from "../schema.ts";

const SOURCE = "dnf check-update";

/** Lines dnf (4 and 5) prints around the list; none of them is a package. */
const NOISE = [
  /^Last metadata expiration check:/,
  /^Updating and loading repositories:/,
  /^Repositories loaded\.$/,
  /^Security: .* is an installed security update$/,
];

/** One package's lines: `name.arch version repo`, or a wrapped `name.arch` and its indented figures. */
interface DnfRow {
  line: number;
  lines: string[];
}

/**
 * Parses the stdout of `dnf check-update` (exit 100: updates listed, 0: none): `name.arch  version
 * repo` in columns. A name too long for its column is wrapped: the version and repository continue on
 * the next, indented line. Everything after `Obsoleting Packages` repeats packages being replaced and
 * is skipped. A package that cannot be read (a wrapped name without its figures, a line of other
 * columns) is an item error beside the others; an output cut mid-line, or of which no line is a
 * package, is refused. dnf only gives the new version and cannot tell security updates ("unknown").
 */
export function parseDnfCheckUpdate(text: string): ItemsParse<PendingUpdate> {
  const rows: DnfRow[] = [];
  let wrapped: DnfRow | null = null;
  for (const at of wholeLines(text, SOURCE)) {
    const line = at.text.trimEnd();
    if (/^Obsoleting Packages$/.test(line)) break;
    if (line.trim() === "" || NOISE.some((re) => re.test(line))) continue;
    // The figures of a wrapped name are indented; anything else means the name lost its figures.
    if (wrapped !== null && /^\s/.test(line)) {
      wrapped.lines.push(line);
      wrapped = null;
      continue;
    }
    wrapped = null;
    const row = { line: at.line, lines: [line] };
    rows.push(row);
    if (/^\S+\.\S+$/.test(line)) wrapped = row;
  }
  const parsed = parseEachItem(
    rows.map((row) => ({ name: nameOf(row), line: row.line, text: row.lines.join("\n"), input: row })),
    ({ input }) => parseRow(input),
  );
  refuseIfNothingRead(SOURCE, parsed);
  return parsed;
}

function nameOf(row: DnfRow): string | null {
  const first = /^\S+/.exec(row.lines[0] ?? "")?.[0];
  if (first === undefined) return null;
  const dot = first.lastIndexOf(".");
  return dot > 0 ? first.slice(0, dot) : first;
}

function parseRow(row: DnfRow): PendingUpdate {
  const where = { line: row.line, excerpt: row.lines[0] ?? "" };
  const fields = row.lines.join(" ").trim().split(/\s+/);
  if (row.lines.length === 1 && fields.length === 1) {
    throw parseFailed(SOURCE, "a wrapped package name without its version line", where);
  }
  if (fields.length !== 3) throw parseFailed(SOURCE, "not a package line", where);
  const [nameArch = "", version = "", repository = ""] = fields;
  const dot = nameArch.lastIndexOf(".");
  if (dot <= 0 || dot === nameArch.length - 1) {
    throw parseFailed(SOURCE, "package is not `name.arch`", where);
  }
  return {
    name: nameArch.slice(0, dot),
    arch: nameArch.slice(dot + 1),
    current_version: "",
    available_version: version,
    repository,
    kind: "unknown",
  };
}
