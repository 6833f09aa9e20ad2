import type { PendingUpdate } from "@infrastructor/shared/schemas/updates.ts";
import { parseFailed } from "../../lib/parse-error.ts";

const SOURCE = "checkupdates / pacman -Qu";

/** `name old -> new`, pacman -Qu adding ` [ignored]` for packages held by IgnorePkg. */
const LINE = /^(\S+) (\S+) -> (\S+)( \[ignored\])?$/;

/**
 * Parses `checkupdates` (pacman-contrib) or `pacman -Qu`: one `name old -> new` per line. Ignored
 * packages are not pending (pacman will not install them) and are left out. Arch has no security
 * metadata in pacman, so every update is "unknown".
 */
export function parsePacmanUpdates(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === "") return;
    const m = LINE.exec(line);
    if (m === null) throw parseFailed(SOURCE, "not `name old -> new`", { line: i + 1, excerpt: line });
    const [, name = "", from = "", to = "", ignored] = m;
    if (ignored !== undefined) return;
    updates.push({
      name,
      arch: "",
      current_version: from,
      available_version: to,
      repository: "",
      kind: "unknown",
    });
  });
  return updates;
}
