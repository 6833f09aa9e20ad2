import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseContainers } from "./parse-containers.ts";
import { mergeDetails, parseInspect } from "./parse-inspect.ts";
import { fixture } from "./testing/captures.ts";

/** Every captured or written inspect carries Config.Env; none of its values may come out. */
const WITH_ENV: [string, string[]][] = [
  ["telegraf-9bc6/inspect.json", ["ENVVAR", "loremipsum", "dolorsitamet"]],
  ["telegraf-e8a7/inspect.json", ["ENVVAR", "loremipsum", "dolorsitamet"]],
  ["telegraf-inspect-non-running/inspect.json", ["ENVVAR", "loremipsum"]],
  ["derived-podman431/inspect.json", ["SECRET_PASSWORD", "hunter2"]],
  ["handwritten-compose/inspect.json", ["SHOP_DB_PASSWORD", "battery", "tok_live"]],
];

describe("parseInspect", () => {
  test.each(WITH_ENV)("%s: Config.Env never appears in the result", async (name, secrets) => {
    const text = await fixture(name);
    for (const s of secrets) expect(text).toContain(s);
    const out = JSON.stringify(parseInspect(text));
    for (const s of secrets) expect(out).not.toContain(s);
    expect(out).not.toContain("Env");
  });

  test("telegraf (trimmed, Health capitalized, Running:false with Status running)", async () => {
    const c = parseInspect(await fixture("telegraf-9bc6/inspect.json"));
    expect(c).toMatchObject({
      id: "9bc6faf9ba8106fae32e8faafd38a1dd6f6d262bec172398cc10bc03c0d6841a",
      name: "9bc6faf9ba81",
      state: "running",
      health: "unhealthy",
      exit_code: null,
      created_at: null,
      started_at: "2018-06-14T05:48:53.266Z",
      finished_at: null,
      mounts: [],
      networks: [],
      labels: {},
      compose: null,
    });
  });

  test("telegraf non-running: exit code 137 and both times", async () => {
    const c = parseInspect(await fixture("telegraf-inspect-non-running/inspect.json"));
    expect(c).toMatchObject({
      state: "exited",
      exit_code: 137,
      started_at: "2024-01-01T00:00:00.000Z",
      finished_at: "2024-01-01T01:00:00.000Z",
    });
  });

  test("podman: health healthy, compose labels, network with IP", async () => {
    const c = parseInspect(await fixture("derived-podman431/inspect.json"));
    expect(c).toMatchObject({ name: "dkx-db", health: "healthy", image: "localhost/local/busybox:latest" });
    expect(c.compose).toMatchObject({ project: "demo", service: "db", working_dir: "/srv/demo" });
    expect(c.networks[0]).toMatchObject({ network: "dkxnet", ip_address: "10.89.7.2" });
  });

  test("docker compose (handwritten), merged into the list's view", async () => {
    const [listed] = parseContainers(await fixture("handwritten-compose/containers.json"));
    const details = parseInspect(await fixture("handwritten-compose/inspect.json"));
    if (listed === undefined) throw new Error("no container listed");
    const c = mergeDetails(listed, details);
    expect(c).toMatchObject({
      name: "shop-web-1",
      image: "nginx:1.27",
      status: "Up 3 days (healthy)",
      health: "healthy",
      restart_count: 2,
      created_at: "2026-11-02T09:14:30.123Z",
      started_at: "2026-11-22T07:01:02.987Z",
      finished_at: "2026-11-22T07:00:59.500Z",
    });
    expect(c.ports).toHaveLength(3);
    expect(c.labels.maintainer).toContain("NGINX");
    expect(c.compose?.depends_on.map((d) => d.service)).toEqual(["db", "cache"]);
    expect(c.links).toEqual([]);
  });

  test("legacy links from HostConfig.Links and the endpoint's Links, once each", async () => {
    const c = parseInspect(await fixture("handwritten-links/inspect.json"));
    expect(c.links).toEqual([
      { container: "shop-db-1", alias: "database" },
      { container: "legacy-cache", alias: "cache" },
      { container: "shop-db-1", alias: "db" },
    ]);
    const [listed] = parseContainers(await fixture("handwritten-compose/containers.json"));
    if (listed === undefined) throw new Error("no container listed");
    expect(mergeDetails(listed, c).links).toHaveLength(3);
  });

  test.each([
    ["truncated", '{\n  "Id": "abc",\n  "State": {\n    "Status": "run', 4],
    ["bad timestamp", '{"Id": "abc", "State": {"StartedAt": "yesterday"}}', undefined],
    ["State not an object", '{"Id": "abc", "State": "running"}', undefined],
  ])("garbage (%s) is PARSE_FAILED", (_, text, line) => {
    expect(() => parseInspect(text)).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining(line === undefined ? {} : { line }),
      }),
    );
  });
});
