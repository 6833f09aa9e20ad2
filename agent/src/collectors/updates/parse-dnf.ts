import type { PendingUpdate } from "@infrastructor/shared/schemas/updates.ts";
import { parseFailed } from "../../lib/parse-error.ts";

const SOURCE = "dnf check-update";

/** Lines dnf (4 and 5) prints around the list; none of them is a package. */
const NOISE = [
  /^Last metadata expiration check:/,
  /^Updating and loading repositories:/,
  /^Repositories loaded\.$/,
  /^Security: .* is an installed security update$/,
];

/**
 * Parses the stdout of `dnf check-update` (exit 100: updates listed, 0: none): `name.arch  version
 * repo` in columns. A name too long for its column is wrapped: the version and repository continue on
 * the next, indented line. Everything after `Obsoleting Packages` repeats packages being replaced and
 * is skipped. dnf only gives the new version and cannot tell security updates here ("unknown").
 */
export function parseDnfCheckUpdate(text: string): PendingUpdate[] {
  const updates: PendingUpdate[] = [];
  let wrapped: { nameArch: string; line: number } | null = null;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trimEnd();
    if (/^Obsoleting Packages$/.test(line)) break;
    if (line.trim() === "" || NOISE.some((re) => re.test(line))) continue;
    const fields = line.trim().split(/\s+/);
    if (wrapped !== null) {
      if (fields.length !== 2 || !/^\s/.test(line)) {
        throw parseFailed(SOURCE, "a wrapped package name without its version line", {
          line: wrapped.line,
          excerpt: wrapped.nameArch,
        });
      }
      updates.push(toUpdate(wrapped.nameArch, fields[0] ?? "", fields[1] ?? "", wrapped.line));
      wrapped = null;
      continue;
    }
    if (fields.length === 1 && /^\S+\.\S+$/.test(line)) {
      wrapped = { nameArch: line, line: i + 1 };
      continue;
    }
    if (fields.length !== 3) throw parseFailed(SOURCE, "not a package line", { line: i + 1, excerpt: line });
    updates.push(toUpdate(fields[0] ?? "", fields[1] ?? "", fields[2] ?? "", i + 1));
  }
  if (wrapped !== null) {
    throw parseFailed(SOURCE, "output ends inside a wrapped package line", {
      line: wrapped.line,
      excerpt: wrapped.nameArch,
    });
  }
  return updates;
}

function toUpdate(nameArch: string, version: string, repository: string, line: number): PendingUpdate {
  const dot = nameArch.lastIndexOf(".");
  if (dot <= 0 || dot === nameArch.length - 1) {
    throw parseFailed(SOURCE, "package is not `name.arch`", { line, excerpt: nameArch });
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
