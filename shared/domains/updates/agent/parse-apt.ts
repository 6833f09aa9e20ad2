import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { type NumberedLine, wholeLines } from "@infrastructor/lib/collect/whole-lines.ts";
import type { PendingUpdate } from "../schema.ts";

const SOURCE = "apt list --upgradable";

/** `name/suite[,suite...] version arch [upgradable from: old]`; multi-arch names carry no `:arch`. */
const LINE = /^([^\s/]+)\/(\S+) (\S+) (\S+) \[upgradable from: ([^\]\s]+)\]$/;
const HEADER = /^Listing\.\.\.( Done)?$/;

/**
 * Parses `apt list --upgradable` (run with LC_ALL=C). apt's `WARNING: apt does not have a stable CLI
 * interface` line (stderr, but merged in some captures) is skipped; then comes the `Listing...` header,
 * then one package per line. A package line that cannot be read is an item error beside the others.
 * The output as a whole is refused (PARSE_FAILED naming the line) when anything but the warning comes
 * before the header (it is not `apt list` output), when the header comes twice (two outputs run
 * together) or when it is cut mid-line. An update is "security" when one of its suites ends in
 * `-security` (Debian `bookworm-security`, Ubuntu `jammy-security`): that is the only place apt list
 * says where it comes from.
 */
export function parseAptUpgradable(text: string): ItemsParse<PendingUpdate> {
  let header: NumberedLine | null = null;
  const rows: NumberedLine[] = [];
  for (const at of wholeLines(text, SOURCE)) {
    const line = at.text.trimEnd();
    if (line === "" || line.startsWith("WARNING: apt does not have a stable CLI interface")) continue;
    const where = { line: at.line, excerpt: line };
    if (HEADER.test(line)) {
      if (header !== null) {
        throw parseFailed(
          SOURCE,
          `a second \`Listing...\` (first at line ${header.line}): two outputs run together?`,
          where,
        );
      }
      header = at;
      continue;
    }
    if (header === null)
      throw parseFailed(SOURCE, "not `apt list` output: no `Listing...` header before it", where);
    rows.push({ line: at.line, text: line });
  }
  return parseEachItem(
    rows.map((at) => ({
      name: /^[^\s/]+/.exec(at.text)?.[0] ?? null,
      line: at.line,
      text: at.text,
      input: at,
    })),
    ({ input }) => parseLine(input),
  );
}

function parseLine(at: NumberedLine): PendingUpdate {
  const m = LINE.exec(at.text);
  if (m === null) throw parseFailed(SOURCE, "not a package line", { line: at.line, excerpt: at.text });
  const [, name = "", suites = "", version = "", arch = "", from = ""] = m;
  const security = suites.split(",").some((suite) => /-security$/.test(suite));
  return {
    name,
    arch,
    current_version: from,
    available_version: version,
    repository: [...new Set(suites.split(","))].join(","),
    kind: security ? "security" : "regular",
  };
}
