import type { PendingUpdate } from "@infrastructor/shared/schemas/updates.ts";
import { parseFailed } from "../../lib/parse-error.ts";

const SOURCE = "apt list --upgradable";

/** `name/suite[,suite...] version arch [upgradable from: old]`; multi-arch names carry no `:arch`. */
const LINE = /^([^\s/]+)\/(\S+) (\S+) (\S+) \[upgradable from: ([^\]\s]+)\]$/;

/**
 * Parses `apt list --upgradable` (run with LC_ALL=C). The header (`Listing...`, `Listing... Done`) and
 * apt's `WARNING: apt does not have a stable CLI interface` line (stderr, but merged in some captures)
 * are skipped; any other line that is not a package throws PARSE_FAILED naming it. An update is
 * "security" when one of its suites ends in `-security` (Debian `bookworm-security`, Ubuntu
 * `jammy-security`): that is the only place apt list says where it comes from.
 */
export function parseAptUpgradable(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = [];
  let sawHeader = false;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === "" || line.startsWith("WARNING: apt does not have a stable CLI interface")) return;
    if (/^Listing\.\.\.( Done)?$/.test(line)) {
      sawHeader = true;
      return;
    }
    const m = LINE.exec(line);
    if (m === null) throw parseFailed(SOURCE, "not a package line", { line: i + 1, excerpt: line });
    const [, name = "", suites = "", version = "", arch = "", from = ""] = m;
    const security = suites.split(",").some((suite) => /-security$/.test(suite));
    updates.push({
      name,
      arch,
      current_version: from,
      available_version: version,
      repository: [...new Set(suites.split(","))].join(","),
      kind: security ? "security" : "regular",
    });
  });
  if (!sawHeader && updates.length === 0 && text.trim() !== "") {
    throw parseFailed(SOURCE, "no `Listing...` header and no package line", { line: 1 });
  }
  return updates;
}
