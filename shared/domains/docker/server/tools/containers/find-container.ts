import { editDistance } from "@infrastructor/lib/db/close-names.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { DockerContainer, DockerData } from "../../../schema.ts";
import { shortId } from "./docker-data.ts";

const HEX = /^[0-9a-f]+$/;

/**
 * A container by name (a leading slash ignored, case-insensitive when that is unambiguous), full id or
 * id prefix, as the docker CLI resolves them. NOT_FOUND names the closest names; a prefix matching
 * several ids is INVALID_ARGUMENT listing them.
 */
export function findContainer(data: DockerData, device: string, ref: string): DockerContainer {
  const wanted = ref.replace(/^\//, "");
  const { containers } = data;
  const exact = containers.find((c) => c.name === wanted || c.id === wanted);
  if (exact !== undefined) return exact;
  const folded = containers.filter((c) => c.name.toLowerCase() === wanted.toLowerCase());
  if (folded.length === 1) return folded[0] as DockerContainer;
  if (HEX.test(wanted)) {
    const byPrefix = containers.filter((c) => c.id.startsWith(wanted));
    if (byPrefix.length === 1) return byPrefix[0] as DockerContainer;
    if (byPrefix.length > 1) {
      const names = byPrefix.map((c) => `${c.name} (${shortId(c.id)})`);
      throw new AppError(
        ErrorCode.INVALID_ARGUMENT,
        `"${ref}" matches ${byPrefix.length} containers on ${device}: ${names.slice(0, 10).join(", ")}; give more of the id or the name`,
        { details: { device, container: ref, matches: names } },
      );
    }
  }
  const close = closeNames(
    containers.map((c) => c.name),
    wanted,
  );
  const hint =
    containers.length === 0
      ? "it has no containers"
      : `closest names: ${close.join(", ")}${containers.length > close.length ? ` (${containers.length} containers; see list_containers)` : ""}`;
  throw new AppError(ErrorCode.NOT_FOUND, `no container "${ref}" on ${device}; ${hint}`, {
    details: { device, container: ref, close },
  });
}

/** Up to `max` names nearest to `wanted`: containing it (or it them) first, then by edit distance. */
export function closeNames(names: readonly string[], wanted: string, max = 5): string[] {
  const w = wanted.toLowerCase();
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const contains = n.includes(w) || w.includes(n);
      return { name, score: (contains ? 0 : 1000) + editDistance(n, w) };
    })
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((x) => x.name);
}
