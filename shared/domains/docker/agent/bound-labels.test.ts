import { describe, expect, test } from "bun:test";
import { DockerContainerSchema } from "../schema.ts";
import { boundLabels, MAX_LABEL_VALUE, MAX_LABELS } from "./bound-labels.ts";
import { parseContainers } from "./parse-containers.ts";
import { parseInspect } from "./parse-inspect.ts";
import { fixture } from "./testing/captures.ts";

/** What a VS Code dev container carries: its whole configuration as JSON in one label (kilobytes). */
const devcontainerMetadata = JSON.stringify(
  Array.from({ length: 60 }, (_, i) => ({
    id: `ghcr.io/devcontainers/features/tool-${i}:1`,
    options: { version: "latest" },
  })),
);

describe("boundLabels", () => {
  test("small label sets pass unchanged (but redacted), with no truncated count", () => {
    const out = boundLabels({
      "com.docker.compose.project": "web",
      "traefik.http.middlewares.a.basicauth.users": "u:$apr1$x$y",
    });
    expect(out).toEqual({
      labels: {
        "com.docker.compose.project": "web",
        "traefik.http.middlewares.a.basicauth.users": "<redacted>",
      },
    });
  });

  test("too many labels, a key over 255 characters and a value over the bound are left out or cut, and counted", () => {
    const raw: Record<string, string> = {
      "devcontainer.metadata": devcontainerMetadata,
      ["k".repeat(300)]: "v",
    };
    for (let i = 0; i < 1000; i++) raw[`label.${i}`] = String(i);
    const out = boundLabels(raw);
    expect(devcontainerMetadata.length).toBeGreaterThan(4096); // over the schema's own bound
    expect(Object.keys(out.labels)).toHaveLength(MAX_LABELS);
    expect(out.labels["devcontainer.metadata"]).toHaveLength(MAX_LABEL_VALUE);
    expect(out.labels["devcontainer.metadata"]?.endsWith("…")).toBe(true);
    expect(Object.keys(out.labels).some((k) => k.length > 255)).toBe(false);
    // 1 cut value + 1 long key + (1000 - 127) labels past the bound.
    expect(out.labels_truncated).toBe(1 + 1 + (1000 - (MAX_LABELS - 1)));
  });
});

describe("one container's labels never break the host's docker envelope", () => {
  test("a listed and an inspected container with a dev container's labels still satisfy the wire schema", async () => {
    const list = JSON.parse(await fixture("handwritten-compose/containers.json")) as Record<
      string,
      unknown
    >[];
    const hostile: Record<string, string> = { "devcontainer.metadata": devcontainerMetadata };
    for (let i = 0; i < 600; i++) hostile[`x.${i}`] = "y";
    const first = list[0] ?? {};
    const listed = parseContainers(
      JSON.stringify([{ ...first, Labels: { ...(first.Labels as object), ...hostile } }]),
    );
    const complete = { stats: null, inspect_error: null };
    for (const c of listed) expect(DockerContainerSchema.safeParse({ ...c, ...complete }).success).toBe(true);
    expect(listed[0]?.labels_truncated).toBeGreaterThan(0);

    const inspect = JSON.parse(await fixture("handwritten-compose/inspect.json")) as {
      Config: { Labels: Record<string, string> };
    };
    inspect.Config.Labels = { ...inspect.Config.Labels, ...hostile };
    const details = parseInspect(JSON.stringify(inspect));
    expect(Object.keys(details.labels).length).toBeLessThanOrEqual(MAX_LABELS);
    expect(details.labels_truncated).toBeGreaterThan(0);
  });
});
