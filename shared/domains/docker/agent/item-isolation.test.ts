import { describe, expect, test } from "bun:test";
import { expectItemIsolation } from "@infrastructor/lib/testing/item-isolation.ts";
import { jsonElementDamages, splitJsonArray } from "@infrastructor/lib/testing/json-array-items.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { DockerDataSchema } from "../schema.ts";
import { parseImageList } from "./images.ts";
import { createDockerCollector } from "./index.ts";
import { parseContainerList } from "./parse-containers.ts";
import { parseInspect } from "./parse-inspect.ts";
import { parseNetworks } from "./parse-networks.ts";
import { parseStats } from "./parse-stats.ts";
import { fixture } from "./testing/captures.ts";
import { telegrafHost } from "./testing/telegraf-host.ts";

/** Every list capture of the Engine API in testcases/ (the shared collection's are copied there). */
const CONTAINER_LISTS = [
  "telegraf-containers-list/containers.json",
  "telegraf-containers-include-non-running/containers.json",
  "derived-podman431/containers.json",
  "handwritten-compose/containers.json",
];
const NETWORK_LISTS = ["derived-podman431/networks.json", "handwritten-networks/networks.json"];
const IMAGE_LISTS = ["handwritten-images/images.json"];
/** One container per body: a bad one is that container's inspect_error or failed stats (tested below). */
const INSPECT_BODIES = [
  "telegraf-9bc6/inspect.json",
  "telegraf-e8a7/inspect.json",
  "telegraf-inspect-non-running/inspect.json",
  "derived-podman431/inspect.json",
  "handwritten-compose/inspect.json",
  "handwritten-links/inspect.json",
];
const STATS_BODIES = [
  "telegraf-9bc6/stats.json",
  "telegraf-e8a7/stats.json",
  "beszel-container-stats/stats.json",
  "derived-podman431/stats.json",
  "handwritten-stats-cgroup2/stats.json",
];

describe("one unreadable element of an Engine API list never changes the others", () => {
  test.each(CONTAINER_LISTS)("GET /containers/json: %s", async (name) => {
    const checked = expectItemIsolation({
      label: name,
      text: await fixture(name),
      split: splitJsonArray(),
      parse: parseContainerList,
      key: (c) => c.id,
      damages: jsonElementDamages(["Id", 42], ["Names", "x"], ["Ports", "x"], ["Labels", [1]]),
    });
    expect(checked).toBeGreaterThan(0);
  });

  test.each(NETWORK_LISTS)("GET /networks: %s", async (name) => {
    const checked = expectItemIsolation({
      label: name,
      text: await fixture(name),
      split: splitJsonArray(),
      parse: parseNetworks,
      key: (n) => n.id,
      damages: jsonElementDamages(["Id", 42], ["Name", null], ["IPAM", "x"]),
    });
    expect(checked).toBeGreaterThan(0);
  });

  test.each(IMAGE_LISTS)("GET /images/json: %s", async (name) => {
    const checked = expectItemIsolation({
      label: name,
      text: await fixture(name),
      split: splitJsonArray(),
      parse: parseImageList,
      key: (i) => i.id,
      damages: jsonElementDamages(["Id", 42], ["RepoTags", "x"]),
    });
    expect(checked).toBeGreaterThan(0);
  });

  test.each([
    ...INSPECT_BODIES.map((name) => [name, "inspect"] as const),
    ...STATS_BODIES.map((name) => [name, "stats"] as const),
  ])(
    "%s: read whole, and each wrong-typed variant is PARSE_FAILED (its container's own error)",
    async (name, kind) => {
      const text = await fixture(name);
      const parse = kind === "inspect" ? (t: string) => parseInspect(t) : (t: string) => parseStats(t);
      expect(() => parse(text)).not.toThrow();
      const body = JSON.parse(text) as Record<string, unknown>;
      const wrong =
        kind === "inspect"
          ? [
              { ...body, Id: 42 },
              { ...body, State: "x" },
              { ...body, Mounts: {} },
            ]
          : [
              { ...body, memory_stats: "x" },
              { ...body, networks: [1] },
              { ...body, cpu_stats: 5 },
            ];
      for (const damaged of [null, 42, "garbled", [], ...wrong]) {
        expect(() => parse(JSON.stringify(damaged))).toThrow(
          expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
        );
      }
    },
  );

  test("a damaged element is reported by name with its shape error", async () => {
    const text = await fixture("handwritten-compose/containers.json");
    const [web, db] = JSON.parse(text) as Record<string, unknown>[];
    const parsed = parseContainerList(JSON.stringify([{ ...web, Names: "x" }, db]));
    expect(parsed.items.map((c) => c.name)).toEqual(["shop-db-1"]);
    expect(parsed.errors).toEqual([
      {
        name: "3176a2479c92b3a5cd1e4b3d2f6b43c2d87a3bb8b77e67ab4ba6c0c7fbd1b8a1",
        error: expect.objectContaining({
          code: ErrorCode.PARSE_FAILED,
          message: expect.stringContaining("[0].Names"),
          line: null,
        }),
      },
    ]);
  });
});

const ACME = "/containers/e8a713dd90604f5a257b97c15945e047ab60ed5b2c4397c5a6b5bf40e1bd2791";

describe("the docker collector keeps every readable container when one body is bad", () => {
  async function sample(damage: Partial<Record<string, string>> = {}) {
    const executor = await telegrafHost(damage);
    const result = await createDockerCollector({ executor }).collect();
    expect(result.errors).toEqual([]);
    return DockerDataSchema.parse(result.data);
  }

  test.each([
    ["an inspect body of the wrong shape", `${ACME}/json`, '{"Id": 42}', "inspect"],
    ["an inspect body cut short", `${ACME}/json`, '{"Id": "e8a713dd9060", "State": {"Sta', "inspect"],
    ["a stats body of the wrong shape", `${ACME}/stats?stream=false`, '{"memory_stats": "x"}', "stats"],
    ["a stats body that is not JSON", `${ACME}/stats?stream=false`, "<html>502</html>", "stats"],
  ])("%s: that container carries the error, the others are as before", async (_, path, body, kind) => {
    const before = await sample();
    const after = await sample({ [path]: body });
    const others = (d: typeof before) => d.containers.filter((c) => c.name !== "acme");
    expect(others(after)).toEqual(others(before));
    const acme = after.containers.find((c) => c.name === "acme");
    if (kind === "inspect") {
      expect(acme?.inspect_error).toMatchObject({ code: ErrorCode.PARSE_FAILED });
      // What the list said is still sent.
      expect(acme).toMatchObject({ id: ACME.slice("/containers/".length), state: "running" });
    } else {
      expect(acme?.stats).toMatchObject({ ok: false, error: { code: ErrorCode.PARSE_FAILED } });
    }
    expect(after.item_errors).toBeUndefined();
  });

  test("a list element of the wrong shape is an item error beside the other four containers", async () => {
    const list = JSON.parse(await fixture("telegraf-containers-list/containers.json")) as Record<
      string,
      unknown
    >[];
    const damaged = list.map((c, i) => (i === 1 ? { ...c, Ports: "x" } : c));
    const before = await sample();
    const after = await sample({ "/containers/json?all=1": JSON.stringify(damaged) });
    expect(after.containers.map((c) => c.name)).toEqual(["etcd", "acme", "acme-test", "foo"]);
    expect(after.containers).toEqual(before.containers.filter((c) => c.name !== "etcd2"));
    expect(after.item_errors).toEqual([
      {
        name: "etcd2",
        error: expect.objectContaining({ code: ErrorCode.PARSE_FAILED, line: null }),
      },
    ]);
  });

  test("a container the hub's schema would refuse is an item error, not the sample's end", async () => {
    const list = JSON.parse(await fixture("telegraf-containers-list/containers.json")) as Record<
      string,
      unknown
    >[];
    // A port number no socket has: the list's shape takes it, the domain schema does not.
    const damaged = list.map((c, i) =>
      i === 4 ? { ...c, Ports: [{ PrivatePort: 70000, Type: "tcp" }] } : c,
    );
    const after = await sample({ "/containers/json?all=1": JSON.stringify(damaged) });
    expect(after.containers.map((c) => c.name)).toEqual(["etcd", "etcd2", "acme", "acme-test"]);
    expect(after.item_errors).toEqual([
      {
        name: "foo",
        error: expect.objectContaining({
          code: ErrorCode.INVALID_MESSAGE,
          message: expect.stringContaining("ports[0].container_port"),
        }),
      },
    ]);
  });

  test("a network element of the wrong shape is an item error beside the other networks", async () => {
    const networks = JSON.parse(await fixture("handwritten-networks/networks.json")) as Record<
      string,
      unknown
    >[];
    const damaged = networks.map((n, i) => (i === 0 ? { ...n, Name: 7 } : n));
    const after = await sample({ "/networks": JSON.stringify(damaged) });
    if (!after.networks.ok) throw new Error("networks failed as a whole");
    expect(after.networks.items.map((n) => n.name)).toEqual(["none", "host", "shop_backend"]);
    expect(after.networks.item_errors).toMatchObject([{ error: { code: ErrorCode.PARSE_FAILED } }]);
  });
});
