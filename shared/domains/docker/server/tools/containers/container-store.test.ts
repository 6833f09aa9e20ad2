import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { dockerData } from "@infrastructor/lib/testing/mcp/synthetic-docker.ts";
import type { DockerContainer, DockerData } from "../../../schema.ts";
import { type ContainerRow, severity, toRow } from "./container-row.ts";
import {
  containerCounts,
  containerRows,
  matchingCounts,
  problemContainers,
  publishingContainers,
} from "./container-store.ts";

/**
 * The SQL side of the fleet-wide container tools against containers ingested through the real
 * pipeline: every state and health the worst-first order distinguishes (synthetic: no captured
 * fixture holds them all), on two devices whose names sort differently in byte order and in a locale.
 */
let harness: McpHarness;
let session: McpSession;
let ids: number[];

const VARIANTS: Partial<DockerContainer>[] = [
  { state: "running", health: "healthy", exit_code: 0 },
  { state: "running", health: "unhealthy", exit_code: 0 },
  { state: "restarting", health: "none", exit_code: 137 },
  { state: "dead", health: "none", exit_code: null },
  { state: "exited", health: "none", exit_code: 0 },
  { state: "exited", health: "none", exit_code: 2 },
  { state: "exited", health: "none", exit_code: null },
  { state: "paused", health: "healthy", exit_code: 0 },
  { state: "created", health: "none", exit_code: null },
  { state: "running", health: "starting", exit_code: 0 },
];

function fleetData(device: number): DockerData {
  const base = dockerData(device, VARIANTS.length);
  // Names mixing case and punctuation: byte order ("B" < "_" < "a") differs from a locale's.
  const names = ["alpha", "Beta", "_under", "a.b", "a-b", "zeta", "Zulu", "mid", "0first", "a_b"];
  const containers = base.containers.map((c, i) => ({
    ...c,
    ...VARIANTS[i],
    name: names[i] ?? c.name,
    // Stopped containers have no stats, as the collector reports them.
    stats: VARIANTS[i]?.state === "running" ? c.stats : null,
  }));
  return { ...base, containers };
}

beforeAll(async () => {
  harness = await startMcpHarness();
  await harness.ingest("node-b", "docker", { data: fleetData(1), errors: [] });
  await harness.ingest("node-a", "docker", { data: fleetData(2), errors: [] });
  session = await harness.connect();
  const rows = await harness.servers.sql<{ id: number }[]>`SELECT id FROM devices ORDER BY hostname`;
  ids = rows.map((r) => r.id);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await harness?.destroy();
}, 60_000);

const expected = (): ContainerRow[] =>
  [
    ...fleetData(2).containers.map((c) => toRow("node-a", c)),
    ...fleetData(1).containers.map((c) => toRow("node-b", c)),
  ].sort(
    (a, b) =>
      severity(a) - severity(b) ||
      (a.device < b.device ? -1 : a.device > b.device ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

async function rowsOf(filter: string | undefined, offset: number, count: number): Promise<ContainerRow[]> {
  const store = session.backend.deps.store;
  const { problems } = matchingCounts(await containerCounts(store, ids), filter);
  return containerRows(store, ids, filter, { offset, count, problems });
}

describe("container-store", () => {
  test("rows come worst first in the order severity() gives, with the stats of their sample", async () => {
    const rows = await rowsOf(undefined, 0, 100);
    expect(rows.map((r) => `${r.device}/${r.name}`)).toEqual(expected().map((r) => `${r.device}/${r.name}`));
    expect(rows).toEqual(expected());
    expect(rows.find((r) => r.name === "alpha")?.cpu_pct).toBeNumber();
    expect(rows.find((r) => r.name === "zeta")?.cpu_pct).toBeNull();
  });

  test("filters and pages in SQL", async () => {
    const unhealthy = await rowsOf("unhealthy", 0, 100);
    expect(unhealthy.map((r) => `${r.device}/${r.name}`)).toEqual(["node-a/Beta", "node-b/Beta"]);
    const exited = await rowsOf("exited", 0, 100);
    expect(exited.map((r) => r.exit_code)).toEqual([2, 2, null, 0, null, 0]);
    // Pages across the problems and the healthy running rows, which come from a second query.
    const all = expected();
    for (const [offset, count] of [
      [5, 5],
      [10, 6],
      [13, 7],
      [0, 20],
    ] as const) {
      expect(await rowsOf(undefined, offset, count)).toEqual(all.slice(offset, offset + count));
    }
    const running = all.filter((r) => r.state === "running");
    expect(await rowsOf("running", 1, 4)).toEqual(running.slice(1, 5));
    const store = session.backend.deps.store;
    expect(await containerRows(store, [], undefined, { offset: 0, count: 5, problems: 0 })).toEqual([]);
  });

  test("counts per device and state; problem and publishing containers per device", async () => {
    const store = session.backend.deps.store;
    const counts = await containerCounts(store, ids);
    const exitedA = counts.find((c) => c.device_id === ids[0] && c.state === "exited");
    expect(exitedA).toEqual({ device_id: ids[0] as number, state: "exited", containers: 3, unhealthy: 0 });
    const running = counts.filter((c) => c.state === "running");
    expect(running.map((c) => [c.containers, c.unhealthy])).toEqual([
      [3, 1],
      [3, 1],
    ]);
    const problems = await problemContainers(store, ids);
    expect(problems.get(ids[0] as number)?.map((c) => c.name)).toEqual(["Beta", "_under", "a.b"]);
  });

  test("publishing containers: all counted, the first `limit` read in (device, name) byte order", async () => {
    const store = session.backend.deps.store;
    const publishing = (device: number, host: string): string[] =>
      fleetData(device)
        .containers.filter((c) => c.ports.some((p) => p.host_port !== null))
        .map((c) => `${host}/${c.name}`)
        .sort();
    const inOrder = [...publishing(2, "node-a"), ...publishing(1, "node-b")];
    const names = (first: Map<number, { name: string }[]>): string[] =>
      ids.flatMap((id, i) => (first.get(id) ?? []).map((c) => `${["node-a", "node-b"][i]}/${c.name}`));

    const all = await publishingContainers(store, ids, 500);
    expect(all.total).toBe(inOrder.length);
    expect(names(all.first)).toEqual(inOrder);
    // A limit that ends inside the second device: node-a's whole list, then node-b's first two.
    const cut = await publishingContainers(store, ids, publishing(2, "node-a").length + 2);
    expect(cut.total).toBe(inOrder.length);
    expect(names(cut.first)).toEqual(inOrder.slice(0, publishing(2, "node-a").length + 2));
    const one = await publishingContainers(store, [ids[1] as number], 500);
    expect(one.first.has(ids[0] as number)).toBe(false);
    expect(one.total).toBe(publishing(1, "node-b").length);
  });
});

describe("get_network_topology over many publishing containers", () => {
  test("reads only the containers its caps show, in the stored order, and counts the rest", async () => {
    // 600 more publishing containers on four hosts. "node" sorts before node-a as a device but after
    // it as a "container:node/..." string: the nodes shown must follow the stored (device, name) order.
    // (Four hosts of 300: one host of 1,200 containers is more than NATS's default 1 MiB message.)
    const more = ["node", "node0", "node1", "node2"].map((host, i) => ({
      host,
      data: dockerData(3 + i, 300),
    }));
    for (const { host, data } of more) await harness.ingest(host, "docker", { data, errors: [] });
    const published = (host: string, data: DockerData): string[] =>
      data.containers
        .filter((c) => c.ports.some((p) => p.host_port !== null))
        .map((c) => c.name)
        .sort()
        .map((name) => `container:${host}/${name}`);
    const of = (host: string): string[] => {
      const data = more.find((m) => m.host === host)?.data;
      return data === undefined ? [] : published(host, data);
    };
    const inOrder = [
      ...of("node"),
      ...published("node-a", fleetData(2)),
      ...published("node-b", fleetData(1)),
      ...of("node0"),
      ...of("node1"),
      ...of("node2"),
    ];
    const result = await session.call("get_network_topology");
    const s = result.structuredContent as {
      summary: { devices: number; containers: number; edges: { published_port: number } };
      nodes: { id: string; type: string }[];
      edges: { from: string; kind: string }[];
      truncated: boolean;
    };
    expect(s.summary.devices).toBe(6);
    expect(s.summary.containers).toBe(inOrder.length);
    expect(s.summary.edges.published_port).toBe(inOrder.length);
    expect(s.truncated).toBe(true);
    expect(s.nodes).toHaveLength(300);
    const shown = s.nodes.filter((n) => n.type === "container").map((n) => n.id);
    expect(shown).toEqual(inOrder.slice(0, 300 - 6));
    expect(s.edges.filter((e) => e.kind === "published_port").map((e) => e.from)).toEqual(
      inOrder.slice(0, 500),
    );

    const one = (await session.call("get_network_topology", { device: "node-b" }))
      .structuredContent as typeof s;
    expect(one.summary.containers).toBe(published("node-b", fleetData(1)).length);
    expect(one.nodes.filter((n) => n.type === "container").map((n) => n.id)).toEqual(
      published("node-b", fleetData(1)),
    );
    expect(one.truncated).toBe(false);

    // Docker removed from node2: its last containers stay stored, but it runs none of them.
    await harness.ingest("node2", "docker", {
      data: null,
      errors: [],
      unavailable: { code: "COMMAND_MISSING", reason: "no docker socket" },
    });
    const after = (await session.call("get_network_topology")).structuredContent as typeof s;
    expect(after.summary.containers).toBe(inOrder.length - of("node2").length);
  });
});
