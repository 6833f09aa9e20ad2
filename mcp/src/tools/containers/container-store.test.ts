import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { DockerContainer, DockerData } from "@infrastructor/shared/schemas/docker.ts";
import { type McpHarness, type McpSession, startMcpHarness } from "../../../test/support/mcp-harness.ts";
import { dockerData } from "../../../test/support/synthetic-docker.ts";
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
    const publishing = await publishingContainers(store, [ids[1] as number]);
    const published = fleetData(1).containers.filter((c) => c.ports.some((p) => p.host_port !== null));
    expect(
      publishing
        .get(ids[1] as number)
        ?.map((c) => c.name)
        .sort(),
    ).toEqual(published.map((c) => c.name).sort());
    expect(publishing.has(ids[0] as number)).toBe(false);
  });
});
