import { describe, expect, test } from "bun:test";
import { hasNewerLocalImage, normalizeImageRef, parseImages } from "./images.ts";
import { fixture } from "./testing/captures.ts";

describe("local images", () => {
  test("normalizeImageRef: one spelling for Docker Hub references", () => {
    expect(
      ["nginx", "docker.io/nginx", "docker.io/library/nginx:latest", "library/nginx"].map(normalizeImageRef),
    ).toEqual(["nginx:latest", "nginx:latest", "nginx:latest", "nginx:latest"]);
    expect(normalizeImageRef("registry.local:5000/team/app")).toBe("registry.local:5000/team/app:latest");
    expect(normalizeImageRef("ghcr.io/org/app:1.2")).toBe("ghcr.io/org/app:1.2");
  });

  test("a re-pulled tag names a newer image than the running container's", async () => {
    const images = parseImages(await fixture("handwritten-images/images.json"));
    expect(images[1]?.tags).toEqual([]);
    const old = "sha256:39286ab8a5e14aeaf5fdd6e2fac76e0c8d31a0c07224f0ee5e6be502f12e93f3";
    expect(hasNewerLocalImage({ image: "nginx:1.27", image_id: old }, images)).toBe(true);
    expect(hasNewerLocalImage({ image: "docker.io/library/nginx", image_id: old }, images)).toBe(true);
    expect(hasNewerLocalImage({ image: "nginx:1.27", image_id: images[0]?.id ?? "" }, images)).toBe(false);
    const pg = "sha256:b781f3a53e61df916e97c8aabc2c0b5f6d3c1f4c7b2b0e52c1a4a3f5d8e9f0a1";
    expect(hasNewerLocalImage({ image: "postgres:16", image_id: pg }, images)).toBe(false);
    expect(hasNewerLocalImage({ image: "nginx@sha256:ffee", image_id: old }, images)).toBe(false);
    expect(hasNewerLocalImage({ image: "redis:7", image_id: old }, images)).toBe(false);
  });
});
