import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { DockerDataSchema } from "../schema.ts";
import { createDockerCollector } from "./index.ts";

const executor = new LocalExecutor();
let engine: TestPodman;

/** A compose project as `docker compose up` leaves it: labels, a network of its own, depends_on. */
async function composePair(p: TestPodman): Promise<void> {
  await p.podman("network", "create", "--subnet", "10.89.41.0/24", "shop_backend");
  const labels = (service: string, dependsOn: string): string[] =>
    [
      `com.docker.compose.project=shop`,
      `com.docker.compose.service=${service}`,
      "com.docker.compose.project.working_dir=/srv/shop",
      `com.docker.compose.depends_on=${dependsOn}`,
    ].flatMap((l) => ["--label", l]);
  await p.podman(
    "run",
    "-d",
    "--name",
    "shop-db-1",
    "--network",
    "shop_backend",
    "-e",
    "DB_PASSWORD=s3cret-db",
    ...labels("db", ""),
    p.image,
    "sleep",
    "600",
  );
  await p.podman(
    "run",
    "-d",
    "--name",
    "shop-web-1",
    "--network",
    "shop_backend",
    "-e",
    "API_TOKEN=tok-123456",
    "-p",
    "127.0.0.1:18088:80",
    ...labels("web", "db:service_started:false"),
    p.image,
    "sleep",
    "600",
  );
  await p.podman("create", "--name", "oneshot", p.image, "true");
}

beforeAll(async () => {
  engine = await startTestPodman();
  await composePair(engine);
}, 120_000);
afterAll(async () => {
  await engine?.destroy();
}, 60_000);

describe("the docker collector against a real Docker-API engine (podman)", () => {
  test("containers with compose facts, addresses, stats; networks with their members; no env", async () => {
    const collector = createDockerCollector({ executor, socket: engine.socket });
    expect(collector.defaultIntervalMs).toBe(30_000);
    await collector.collect();
    const { data, errors, unavailable } = await collector.collect();
    expect([errors, unavailable]).toEqual([[], undefined]);
    const sample = DockerDataSchema.parse(data);
    const byName = new Map(sample.containers.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(["oneshot", "shop-db-1", "shop-web-1"]);

    const web = byName.get("shop-web-1");
    expect(web).toMatchObject({ state: "running", image: engine.image, inspect_error: null });
    expect(web?.compose).toEqual({
      project: "shop",
      service: "web",
      working_dir: "/srv/shop",
      config_files: [],
      depends_on: [{ service: "db", condition: "service_started" }],
    });
    expect(web?.networks).toEqual([
      expect.objectContaining({
        network: "shop_backend",
        ip_address: expect.stringMatching(/^10\.89\.41\./),
      }),
    ]);
    expect(web?.ports).toEqual([
      { container_port: 80, host_port: 18088, host_ip: "127.0.0.1", protocol: "tcp" },
    ]);
    expect(web?.started_at).not.toBeNull();
    expect(web?.stats).toMatchObject({ ok: true, pids: 1 });
    // Second collect: the collector diffs against its own previous reading (podman gives no precpu).
    expect(web?.stats).toMatchObject({ cpu_pct: expect.any(Number) });

    const oneshot = byName.get("oneshot");
    expect(oneshot).toMatchObject({ state: "created", stats: null, compose: null });

    if (!sample.networks.ok) throw new Error(sample.networks.error.message);
    const shop = sample.networks.items.find((n) => n.name === "shop_backend");
    expect(shop?.subnets).toEqual(["10.89.41.0/24"]);
    expect(shop?.containers.map((c) => c.name).sort()).toEqual(["shop-db-1", "shop-web-1"]);

    const wire = JSON.stringify(data);
    for (const secret of ["DB_PASSWORD", "s3cret-db", "API_TOKEN", "tok-123456"])
      expect(wire).not.toContain(secret);
  }, 120_000);

  test("no socket: unavailable (COMMAND_MISSING) with the path, not an error", async () => {
    const collector = createDockerCollector({ executor, socket: `${engine.socket}.absent` });
    const result = await collector.collect();
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([]);
    expect(result.unavailable?.code).toBe(ErrorCode.COMMAND_MISSING);
    expect(result.unavailable?.reason).toContain(".absent");
  });

  test("an executor without a Docker API (e.g. SSH until it has one): unavailable", async () => {
    const sshLike: Executor = {
      kind: "ssh",
      run: (argv, options) => executor.run(argv, options),
      readFile: (path, options) => executor.readFile(path, options),
      listDir: (path) => executor.listDir(path),
      statfs: (path) => executor.statfs(path),
    };
    const result = await createDockerCollector({ executor: sshLike }).collect();
    expect(result.unavailable?.code).toBe(ErrorCode.COMMAND_MISSING);
  });

  test("a socket nobody answers on: a failure as data, the agent goes on", async () => {
    const dead = `${engine.socket}.dead`;
    await Bun.write(dead, "");
    const result = await createDockerCollector({ executor, socket: dead, timeout_ms: 2_000 }).collect();
    expect(result.unavailable).toBeUndefined();
    expect(result.data).toBeNull();
    expect(result.errors[0]).toMatchObject({ code: ErrorCode.COMMAND_FAILED, source: "containers" });
  });
});
