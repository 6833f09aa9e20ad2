import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { refuseIfNothingRead, wholeLines } from "@infrastructor/lib/collect/whole-lines.ts";
import type { PendingUpdate } from "../schema.ts";

const SOURCE = "checkupdates / pacman -Qu";

/** `name old -> new`, pacman -Qu adding ` [ignored]` for packages held by IgnorePkg. */
const LINE = /^(\S+) (\S+) -> (\S+)( \[ignored\])?$/;

/**
 * Parses `checkupdates` (pacman-contrib) or `pacman -Qu`: one `name old -> new` per line. Ignored
 * packages are not pending (pacman will not install them) and are left out. A line that cannot be read
 * is an item error beside the others; an output cut mid-line, or of which no line is a package, is
 * refused. Arch has no security metadata in pacman, so every update is "unknown".
 */
export function parsePacmanUpdates(text: string): ItemsParse<PendingUpdate> {
  const lines = wholeLines(text, SOURCE).filter((at) => at.text.trim() !== "");
  const parsed = parseEachItem(
    lines.map((at) => ({ name: /^\S+/.exec(at.text)?.[0] ?? null, line: at.line, text: at.text, input: at })),
    ({ input }): PendingUpdate | null => {
      const line = input.text.trimEnd();
      const m = LINE.exec(line);
      if (m === null) throw parseFailed(SOURCE, "not `name old -> new`", { line: input.line, excerpt: line });
      const [, name = "", from = "", to = "", ignored] = m;
      if (ignored !== undefined) return null;
      return {
        name,
        arch: "",
        current_version: from,
        available_version: to,
        repository: "",
        kind: "unknown",
      };
    },
  );
  const result = { items: parsed.items.filter((u): u is PendingUpdate => u !== null), errors: parsed.errors };
  refuseIfNothingRead(SOURCE, { items: parsed.items, errors: parsed.errors });
  return result;
}
