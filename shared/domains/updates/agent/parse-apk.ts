import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { refuseIfNothingRead, wholeLines } from "@infrastructor/lib/collect/whole-lines.ts";
import type { PendingUpdate } from "../schema.ts";

const SOURCE = "apk list -u";

/** `name-ver-rN arch {origin} (license) [upgradable from: name-oldver-rN]` */
const LINE = /^(\S+) (\S+) \{[^}]*\} \(.*\) \[upgradable from: (\S+)\]$/;
/** apk package versions always end in `-r<release>`; the name is everything before `-<ver>-r<N>`. */
const NAME_VERSION = /^(.+)-([^-]+-r\d+)$/;

/**
 * Parses `apk list -u` (apk-tools 2.10+): one upgradable package per line. `WARNING:` lines (an
 * unreachable repository) and `fetch` lines are skipped. A line that cannot be read is an item error
 * beside the others; an output cut mid-line, or of which no line is a package, is refused. apk has no
 * security metadata, so every update is "unknown".
 */
export function parseApkUpgradable(text: string): ItemsParse<PendingUpdate> {
  const lines = wholeLines(text, SOURCE).filter((at) => {
    const line = at.text.trimEnd();
    return line !== "" && !line.startsWith("WARNING:") && !line.startsWith("fetch ");
  });
  const parsed = parseEachItem(
    lines.map((at) => ({
      name: NAME_VERSION.exec(/^\S+/.exec(at.text)?.[0] ?? "")?.[1] ?? null,
      line: at.line,
      text: at.text,
      input: at,
    })),
    ({ input }): PendingUpdate => {
      const line = input.text.trimEnd();
      const fail = (message: string): Error =>
        parseFailed(SOURCE, message, { line: input.line, excerpt: line });
      const m = LINE.exec(line);
      if (m === null) throw fail("not an `apk list -u` line");
      const [, pkg = "", arch = "", from = ""] = m;
      const now = NAME_VERSION.exec(pkg);
      const before = NAME_VERSION.exec(from);
      if (now === null || before === null) throw fail("package is not `name-version-rN`");
      return {
        name: now[1] ?? "",
        arch,
        current_version: before[2] ?? "",
        available_version: now[2] ?? "",
        repository: "",
        kind: "unknown",
      };
    },
  );
  refuseIfNothingRead(SOURCE, parsed);
  return parsed;
}
