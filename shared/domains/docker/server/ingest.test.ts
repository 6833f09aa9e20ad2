import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import type { DockerData } from "@infrastructor/domains/docker/schema.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { composeLabelFlags, startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
let engine: TestPodman;
let sample: DockerData;
const t0 = Date.now() - 3_600_000;
const SECRETS = ["DB_PASSWORD", "pg-s3cret", "API_TOKEN", "tok-987"];

function envelope(seq: number, collectedAtMs: number, data: DockerData): Envelope {
  return domainEnvelope("dock1", "docker", data, {
    seq,
    boot_id: "docker-test",
    collected_at: new Date(collectedAtMs).toISOString(),
  });
}

/** Two containers as `docker compose up` leaves them: labels, depends_on, a network of their own. */
async function composePair(p: TestPodman): Promise<void> {
  await p.podman("network", "create", "--subnet", "10.89.42.0/24", "blog_default");
  const run = ["run", "-d", "--network", "blog_default"];
  await p.podman(
    ...run,
    "--name",
    "blog-db-1",
    "-e",
    "DB_PASSWORD=pg-s3cret",
    ...composeLabelFlags("db", ""),
    p.image,
    "sleep",
    "600",
  );
  await p.podman(
    ...run,
    "--name",
    "blog-app-1",
    "-e",
    "API_TOKEN=tok-987",
    ...composeLabelFlags("app", "db:service_healthy:false"),
    p.image,
    "sleep",
    "600",
  );
}

beforeAll(async () => {
  [pipeline, engine] = await Promise.all([startPipeline(), startTestPodman()]);
  await composePair(engine);
  const docker = createDockerCollector({ executor: new LocalExecutor(), socket: engine.socket });
  await docker.collect(); // a baseline, so the second sample has cpu %
  const result = await docker.collect();
  if (result.data === null) throw new Error(`no docker data: ${JSON.stringify(result)}`);
  sample = result.data;
}, 120_000);

afterAll(async () => {
  await Promise.all([pipeline?.destroy(), engine?.destroy()]);
}, 60_000);

describe("docker envelopes through NATS into docker_containers, docker_networks, docker_container_stats", () => {
  test("a real collection lands in the tables, compose facts included, no environment anywhere", async () => {
    const { sql } = pipeline;
    await publishEnvelopes(pipeline.js, [envelope(1, t0 + 60_000, sample)]);
    const rows = await waitFor("the containers", async () => {
      const found = await sql`SELECT * FROM docker_containers ORDER BY name`;
      return found.length === 2 ? found : undefined;
    });
    expect(rows.map((r) => [r.name, r.state, r.compose_project, r.compose_service])).toEqual([
      ["blog-app-1", "running", "blog", "app"],
      ["blog-db-1", "running", "blog", "db"],
    ]);
    expect(rows[0]?.compose_depends_on).toEqual([{ service: "db", condition: "service_healthy" }]);
    expect(rows[0]?.compose_working_dir).toBe("/srv/blog");
    expect(rows[0]?.networks[0]).toMatchObject({
      network: "blog_default",
      ip_address: expect.stringMatching(/^10\.89\.42\./),
    });

    const [net] = await sql`SELECT * FROM docker_networks WHERE name = 'blog_default'`;
    expect(net?.subnets).toEqual(["10.89.42.0/24"]);
    expect(net?.containers.map((c: { name: string }) => c.name).sort()).toEqual(["blog-app-1", "blog-db-1"]);

    const stats = await waitFor("the stats rows", async () => {
      const found = await sql`SELECT * FROM docker_container_stats ORDER BY container_name`;
      return found.length === 2 ? found : undefined;
    });
    // Each sample keeps the restart count: restart loops are read from the rise between samples.
    expect(stats[0]).toMatchObject({ container_name: "blog-app-1", pids: 1, restart_count: 0 });
    expect(stats[0]?.time.getTime()).toBe(t0 + 60_000);
    expect(Number(stats[0]?.mem_used_bytes)).toBeGreaterThan(0);
    expect(stats[0]?.cpu_pct).not.toBeNull();

    const stored = JSON.stringify([
      await sql`SELECT * FROM docker_containers`,
      await sql`SELECT payload FROM latest_state WHERE domain = 'docker'`,
    ]);
    expect(stored).toContain("blog-app-1");
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
  }, 120_000);

  test("an older replay changes nothing; a newer envelope replaces, keeping networks when /networks failed", async () => {
    const { sql } = pipeline;
    const js = pipeline.js;
    const [app] = sample.containers.filter((c) => c.name === "blog-app-1");
    if (app === undefined) throw new Error("no app container");
    await publishEnvelopes(js, [envelope(0, t0, { ...sample, containers: [] })]);
    await waitFor("the older envelope's stats-less batch", async () => {
      const [row] = await sql`SELECT count(*)::int AS n FROM latest_state WHERE domain = 'docker'`;
      return row?.n === 1;
    });
    await Bun.sleep(500);
    expect((await sql`SELECT count(*)::int AS n FROM docker_containers`)[0]?.n).toBe(2);

    const failedNetworks = {
      ok: false as const,
      error: { code: "COMMAND_TIMEOUT", message: "GET /networks: no answer" },
    };
    await publishEnvelopes(js, [envelope(2, t0 + 120_000, { containers: [app], networks: failedNetworks })]);
    await waitFor("the newer envelope's containers", async () => {
      const found = await sql`SELECT name FROM docker_containers`;
      return found.length === 1 && found[0]?.name === "blog-app-1";
    });
    const [net] = await sql`SELECT collected_at FROM docker_networks WHERE name = 'blog_default'`;
    expect(net?.collected_at.getTime()).toBe(t0 + 60_000);
  }, 120_000);
});
