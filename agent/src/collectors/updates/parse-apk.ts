import type { PendingUpdate } from "@infrastructor/shared/schemas/updates.ts";
import { parseFailed } from "../../lib/parse-error.ts";

const SOURCE = "apk list -u";

/** `name-ver-rN arch {origin} (license) [upgradable from: name-oldver-rN]` */
const LINE = /^(\S+) (\S+) \{[^}]*\} \(.*\) \[upgradable from: (\S+)\]$/;
/** apk package versions always end in `-r<release>`; the name is everything before `-<ver>-r<N>`. */
const NAME_VERSION = /^(.+)-([^-]+-r\d+)$/;

/**
 * Parses `apk list -u` (apk-tools 2.10+): one upgradable package per line. apk has no security
 * metadata, so every update is "unknown". `WARNING:` lines (an unreachable repository) are skipped.
 */
export function parseApkUpgradable(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === "" || line.startsWith("WARNING:") || line.startsWith("fetch ")) return;
    const m = LINE.exec(line);
    const fail = (message: string): Error => parseFailed(SOURCE, message, { line: i + 1, excerpt: line });
    if (m === null) throw fail("not an `apk list -u` line");
    const [, pkg = "", arch = "", from = ""] = m;
    const now = NAME_VERSION.exec(pkg);
    const before = NAME_VERSION.exec(from);
    if (now === null || before === null) throw fail("package is not `name-version-rN`");
    updates.push({
      name: now[1] ?? "",
      arch,
      current_version: before[2] ?? "",
      available_version: now[2] ?? "",
      repository: "",
      kind: "unknown",
    });
  });
  return updates;
}
