import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { nameFrom, parseJsonItems } from "@infrastructor/lib/collect/parse-json-items.ts";
import { ImageShape } from "./api-shapes.ts";

const SOURCE = "GET /images/json";

export interface LocalImage {
  id: string;
  /** Normalized references (`nginx:latest`, `ghcr.io/org/app:1`), see normalizeImageRef. */
  tags: string[];
  created_at: string | null;
}

/** `GET /images/json`: the images present on the host; an unreadable element is an item error. */
export function parseImageList(text: string): ItemsParse<LocalImage> {
  return parseJsonItems(text, {
    source: SOURCE,
    element: ImageShape,
    name: (raw) => nameFrom(raw, "RepoTags", "Id"),
    convert: (i) => ({
      id: i.Id,
      tags: (i.RepoTags ?? []).filter((t) => t !== "<none>:<none>").map(normalizeImageRef),
      created_at: i.Created ? new Date(i.Created * 1000).toISOString() : null,
    }),
  });
}

/** The readable images alone (the updates domain's "newer image present" check needs no more). */
export function parseImages(text: string): LocalImage[] {
  return parseImageList(text).items;
}

/**
 * One spelling per image reference: Docker Hub's implicit registry and `library/` dropped, the
 * implicit `:latest` added. `nginx`, `docker.io/nginx` and `docker.io/library/nginx:latest` are one.
 */
export function normalizeImageRef(ref: string): string {
  let name = ref.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "");
  name = name.replace(/^library\//, "");
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") || lastSegment.includes("@") ? name : `${name}:latest`;
}

/**
 * For the updates domain: is a newer image present locally than the one the container runs? True
 * when the container's reference (e.g. `nginx:1.27`) now names a different image id than the
 * container's own, i.e. the image was pulled again but the container not recreated. Digest-pinned
 * references and containers created from a bare image id never are.
 */
export function hasNewerLocalImage(
  container: { image: string; image_id: string | null },
  images: readonly LocalImage[],
): boolean {
  if (
    container.image_id === null ||
    container.image.includes("@") ||
    /^(sha256:)?[0-9a-f]{12,64}$/.test(container.image)
  ) {
    return false;
  }
  const ref = normalizeImageRef(container.image);
  const current = images.find((i) => i.tags.includes(ref));
  return current !== undefined && current.id !== container.image_id;
}
