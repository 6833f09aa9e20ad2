import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { composeLabelFlags, startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { CollectorLiveSource } from "@infrastructor/mcp/live/collector-live-source.ts";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { createDockerCollector } from "../../agent/index.ts";

/**
 * The five container tools against a real Docker-API engine (podman): the docker collector's own
 * output ingested through the pipeline for `dock1` (fresh), `old1` (an hour old) and `nodocker` (the
 * collector pointed at a missing socket: unavailable), and container logs read live from podman.
 */
let harness: McpHarness;
let engine: TestPodman;
/** No live access: stored answers only. */
let plain: McpSession;
/** Live through this machine (LocalExecutor), the devices' live_config pointing at podman's socket. */
let live: McpSession;

const PORT = 18347;
const SECRETS = ["DB_PASSWORD", "pg-s3cret", "API_TOKEN", "tok-987"];
const PADDING = "x".repeat(200);

async function scene(p: TestPodman): Promise<void> {
  await p.podman("network", "create", "--subnet", "10.89.57.0/24", "blog_default");
  const run = ["run", "-d", "--network", "blog_default"];
  await p.podman(
    ...run,
    "--name",
    "blog-db-1",
    "-e",
    "DB_PASSWORD=pg-s3cret",
    "--health-cmd",
    "true",
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
    "-p",
    `127.0.0.1:${PORT}:80`,
    ...composeLabelFlags("app", "db:service_healthy:false"),
    p.image,
    "sleep",
    "600",
  );
  await p.podman("healthcheck", "run", "blog-db-1");
  await p.podman(
    "run",
    "-d",
    "--name",
    "sick",
    "--health-cmd",
    "false",
    "--health-retries",
    "1",
    "--health-interval",
    "1h",
    p.image,
    "sleep",
    "600",
  );
  await p.podman("healthcheck", "run", "sick").catch(() => "unhealthy, as wanted");
  await p.podman("run", "-d", "--name", "oneshot", p.image, "sh", "-c", "exit 3");
  await p.podman("wait", "oneshot");
  await p.podman(
    "run",
    "-d",
    "--name",
    "echoer",
    p.image,
    "sh",
    "-c",
    "echo out-1; echo err-1 >&2; echo out-2; sleep 600",
  );
  await p.podman("run", "-d", "-t", "--name", "ttyer", p.image, "sh", "-c", "echo tty-1; sleep 600");
  await p.podman(
    "run",
    "-d",
    "--name",
    "chatty",
    p.image,
    "sh",
    "-c",
    `i=0; while [ $i -lt 1500 ]; do echo "line-$i ${PADDING}"; i=$((i+1)); done; sleep 600`,
  );
  await waitFor("the containers' output", async () => {
    const logs = await p.podman("logs", "chatty");
    const echoed = await p.podman("logs", "echoer");
    return logs.includes("line-1499") && echoed.includes("out-2") ? true : undefined;
  });
}

beforeAll(async () => {
  [harness, engine] = await Promise.all([startMcpHarness(), startTestPodman()]);
  await scene(engine);
  const executor = new LocalExecutor();
  const docker = createDockerCollector({ executor, socket: engine.socket });
  await docker.collect(); // a baseline, so the stored sample has cpu %
  const sample = await docker.collect();
  if (sample.data === null) throw new Error(`no docker data: ${JSON.stringify(sample)}`);
  await harness.ingest("dock1", "docker", sample);
  await harness.ingest("old1", "docker", sample, new Date(Date.now() - 3_600_000));
  const absent = await createDockerCollector({ executor, socket: `${engine.socket}.none` }).collect();
  expect(absent.unavailable?.code).toBe("COMMAND_MISSING");
  await harness.ingest("nodocker", "docker", absent);
  const config = { domains: { docker: { socket: engine.socket } } };
  await harness.servers.sql`
    UPDATE devices SET live_config = ${harness.servers.sql.json(config)} WHERE hostname IN ('dock1', 'old1')`;
  plain = await harness.connect();
  live = await harness.connect({ live: () => new CollectorLiveSource(() => new LocalExecutor()) });
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await engine?.destroy();
}, 60_000);

function ok<T>(result: Awaited<ReturnType<McpSession["call"]>>): T {
  if (result.isError) throw new Error(JSON.stringify(result.content));
  return result.structuredContent as T;
}
function errorCode(result: Awaited<ReturnType<McpSession["call"]>>): string {
  expect(result.isError).toBe(true);
  return (result.structuredContent as { error: { code: string } }).error.code;
}
function text(result: Awaited<ReturnType<McpSession["call"]>>): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}

interface Row {
  device: string;
  name: string;
  state: string;
  health: string;
  exit_code: number | null;
  restart_count: number;
  cpu_pct: number | null;
  mem_used_bytes: number | null;
  compose_project: string | null;
  compose_service: string | null;
}
interface ListAnswer {
  summary: { containers: number; matching: number; by_state: Record<string, number>; unhealthy: string[] };
  containers: Row[];
  page: { total: number; next_offset: number | null };
  devices: {
    device: string;
    docker: string;
    note: string | null;
    provenance: { source: string; stale: boolean };
  }[];
}

describe("list_containers", () => {
  test("every device: counts by state, the unhealthy named and first, per-device provenance", async () => {
    const result = await plain.call("list_containers");
    const s = ok<ListAnswer>(result);
    expect(s.summary.containers).toBe(14); // 7 on dock1, the same 7 on old1
    expect(s.summary.by_state).toEqual({ running: 12, exited: 2 });
    expect(s.summary.unhealthy).toEqual(["dock1/sick", "old1/sick"]);
    expect(s.containers.slice(0, 2).map((r) => `${r.device}/${r.name}`)).toEqual(["dock1/sick", "old1/sick"]);
    expect(s.containers[2]).toMatchObject({ name: "oneshot", state: "exited", exit_code: 3 });
    const app = s.containers.find((r) => r.device === "dock1" && r.name === "blog-app-1");
    expect(app).toMatchObject({ state: "running", compose_project: "blog", compose_service: "app" });
    expect(app?.mem_used_bytes).toBeGreaterThan(0);
    expect(typeof app?.cpu_pct).toBe("number");
    const byDevice = new Map(s.devices.map((d) => [d.device, d]));
    expect(byDevice.get("dock1")).toMatchObject({
      docker: "ok",
      provenance: { source: "stored", stale: false },
    });
    expect(byDevice.get("old1")).toMatchObject({
      docker: "ok",
      provenance: { source: "stored", stale: true },
    });
    expect(byDevice.get("nodocker")).toMatchObject({ docker: "unavailable" });
    expect(byDevice.get("nodocker")?.note).toContain("COMMAND_MISSING");
    expect(text(result)).toStartWith(
      "14 containers on 3 device(s): 12 running, 2 exited.\nUnhealthy: dock1/sick, old1/sick.",
    );
    // A host without Docker is a summary line, not a provenance line of its own.
    expect(text(result)).toContain(
      "1 device(s) with fresh stored data\ndocker not installed on 1 host(s): nodocker\nold1: stored",
    );
    expect(text(result)).toContain("old1: stored, 60 min old, STALE");
  });

  test("status filter, one device, pagination", async () => {
    const exited = ok<ListAnswer>(await plain.call("list_containers", { device: "dock1", status: "exited" }));
    expect(exited.containers.map((r) => r.name)).toEqual(["oneshot"]);
    expect([exited.summary.containers, exited.summary.matching]).toEqual([7, 1]);
    const sick = ok<ListAnswer>(
      await plain.call("list_containers", { device: "DOCK1", status: "unhealthy" }),
    );
    expect(sick.containers.map((r) => r.name)).toEqual(["sick"]);
    const page1 = ok<ListAnswer>(await plain.call("list_containers", { device: "dock1", limit: 4 }));
    const page2 = ok<ListAnswer>(
      await plain.call("list_containers", { device: "dock1", limit: 4, offset: 4 }),
    );
    expect([page1.page.next_offset, page2.page.next_offset, page2.containers.length]).toEqual([4, null, 3]);
    const names = [...page1.containers, ...page2.containers].map((r) => r.name).sort();
    expect(names).toEqual(["blog-app-1", "blog-db-1", "chatty", "echoer", "oneshot", "sick", "ttyer"]);
  });

  test("errors: unknown device NOT_FOUND, no Docker there COMMAND_MISSING, bad status INVALID_ARGUMENT", async () => {
    const unknown = await plain.call("list_containers", { device: "nosuch" });
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    expect(text(unknown)).toContain("dock1");
    const missing = await plain.call("list_containers", { device: "nodocker" });
    expect(errorCode(missing)).toBe("COMMAND_MISSING");
    expect(text(missing)).toContain(".none");
    expect(errorCode(await plain.call("list_containers", { status: "sleeping" }))).toBe("INVALID_ARGUMENT");
  });

  test("with live access a stale device is read live, with progress notifications", async () => {
    const progress: number[] = [];
    const result = await live.client.callTool(
      { name: "list_containers", arguments: {} },
      CallToolResultSchema,
      { onprogress: (p) => void progress.push(p.progress) },
    );
    const s = ok<ListAnswer>(result as Awaited<ReturnType<McpSession["call"]>>);
    const old1 = s.devices.find((d) => d.device === "old1");
    expect(old1?.provenance).toMatchObject({ source: "live", stale: false });
    expect(s.devices.find((d) => d.device === "dock1")?.provenance.source).toBe("stored");
    expect(progress).toEqual([1]);
    expect(s.containers.filter((r) => r.device === "old1")).toHaveLength(7);
  }, 60_000);

  test("pages merge stored rows (SQL) with live ones in the same worst-first order", async () => {
    const label = (r: Row): string => `${r.device}/${r.name}`;
    const all = ok<ListAnswer>(await plain.call("list_containers", { limit: 500 })).containers.map(label);
    const paged: string[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const page: ListAnswer = ok<ListAnswer>(await live.call("list_containers", { limit: 3, offset }));
      expect(page.devices.find((d) => d.device === "old1")?.provenance.source).toBe("live");
      paged.push(...page.containers.map(label));
      offset = page.page.next_offset;
    }
    expect(paged).toEqual(all);
    const exited = ok<ListAnswer>(await live.call("list_containers", { status: "exited", offset: 1 }));
    expect([exited.page.total, exited.containers.map(label)]).toEqual([2, ["old1/oneshot"]]);
  }, 60_000);
});

describe("get_container_details", () => {
  interface Details {
    container: {
      id: string;
      name: string;
      ports: unknown[];
      networks: { network: string; ip_address: string | null; gateway: string | null }[];
      compose: { project: string; depends_on: unknown[] } | null;
      labels: Record<string, string>;
      labels_total: number;
      stats: { ok: boolean; mem_used_bytes?: number } | null;
    };
    provenance: { device: string; source: string };
  }

  test("ports, networks with addresses, compose, labels and stats; never the environment", async () => {
    const result = await plain.call("get_container_details", {
      device: "dock1",
      container_name: "blog-app-1",
    });
    const s = ok<Details>(result);
    expect(s.container.ports).toEqual([
      { container_port: 80, host_port: PORT, host_ip: "127.0.0.1", protocol: "tcp" },
    ]);
    expect(s.container.networks).toHaveLength(1);
    expect(s.container.networks[0]).toMatchObject({ network: "blog_default", gateway: "10.89.57.1" });
    expect(s.container.networks[0]?.ip_address).toStartWith("10.89.57.");
    expect(s.container.compose).toMatchObject({
      project: "blog",
      depends_on: [{ service: "db", condition: "service_healthy" }],
    });
    expect(s.container.labels["com.docker.compose.service"]).toBe("app");
    expect(s.container.labels_total).toBe(Object.keys(s.container.labels).length);
    expect(s.container.stats?.ok).toBe(true);
    expect(s.provenance).toMatchObject({ device: "dock1", source: "stored" });
    expect(text(result)).toContain(`ports: 127.0.0.1:${PORT}->80/tcp`);
    const everything = JSON.stringify(result);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  test("by id prefix; an unknown name is NOT_FOUND naming the closest", async () => {
    const byName = ok<Details>(
      await plain.call("get_container_details", { device: "dock1", container_name: "echoer" }),
    );
    const prefix = byName.container.id.slice(0, 6);
    const byId = ok<Details>(
      await plain.call("get_container_details", { device: "dock1", container_name: prefix }),
    );
    expect(byId.container.name).toBe("echoer");
    const unknown = await plain.call("get_container_details", { device: "dock1", container_name: "blog-ap" });
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    expect(text(unknown)).toContain("closest names: blog-app-1");
    const bad = await plain.call("get_container_details", { device: "dock1", container_name: "$(id)" });
    expect(errorCode(bad)).toBe("INVALID_ARGUMENT");
  });
});

describe("get_service_dependencies", () => {
  interface Edge {
    container: string | null;
    kind: string;
    reason: string;
    condition: string | null;
  }
  interface Deps {
    summary: { down_dependencies: string[] };
    depends_on: Edge[];
    dependents: Edge[];
    network_peers: Edge[];
    published: { port: string }[];
  }

  test("both directions of compose depends_on, the shared network, the published port", async () => {
    const app = ok<Deps>(
      await plain.call("get_service_dependencies", { device: "dock1", container_name: "blog-app-1" }),
    );
    expect(app.depends_on).toEqual([
      expect.objectContaining({
        container: "blog-db-1",
        kind: "compose_depends_on",
        condition: "service_healthy",
      }),
    ]);
    expect(app.depends_on[0]?.reason).toContain("depends_on db (service_healthy)");
    expect(app.summary.down_dependencies).toEqual([]);
    expect(app.dependents).toEqual([]);
    expect(app.network_peers.map((e) => e.container)).toEqual(["blog-db-1"]);
    expect(app.network_peers[0]?.reason).toContain("blog_default");
    expect(app.published.map((p) => p.port)).toEqual([`127.0.0.1:${PORT}->80/tcp`]);

    const db = ok<Deps>(
      await plain.call("get_service_dependencies", { device: "dock1", container_name: "blog-db-1" }),
    );
    expect(db.depends_on).toEqual([]);
    expect(db.dependents.map((e) => [e.container, e.kind])).toEqual([["blog-app-1", "compose_depends_on"]]);
    expect(db.published).toEqual([]);

    const alone = ok<Deps>(
      await plain.call("get_service_dependencies", { device: "dock1", container_name: "echoer" }),
    );
    expect([alone.depends_on, alone.dependents, alone.network_peers]).toEqual([[], [], []]);
  });

  test("unknown container NOT_FOUND; no Docker COMMAND_MISSING", async () => {
    const unknown = await plain.call("get_service_dependencies", {
      device: "dock1",
      container_name: "nosuch",
    });
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    const missing = await plain.call("get_service_dependencies", { device: "nodocker", container_name: "x" });
    expect(errorCode(missing)).toBe("COMMAND_MISSING");
  });
});

describe("list_docker_networks", () => {
  test("networks with driver, subnets, gateways and their members' addresses", async () => {
    const result = await plain.call("list_docker_networks", { device: "dock1" });
    const s = ok<{
      summary: { networks: number };
      networks: {
        name: string;
        driver: string;
        subnets: string[];
        gateways: string[];
        container_count: number;
        containers: { name: string | null; state: string | null; ipv4_address: string | null }[];
      }[];
      provenance: { source: string };
    }>(result);
    const blog = s.networks.find((n) => n.name === "blog_default");
    expect(blog).toMatchObject({ driver: "bridge", subnets: ["10.89.57.0/24"], gateways: ["10.89.57.1"] });
    expect(blog?.containers.map((c) => c.name).sort()).toEqual(["blog-app-1", "blog-db-1"]);
    expect(
      blog?.containers.every((c) => c.state === "running" && c.ipv4_address?.startsWith("10.89.57.")),
    ).toBe(true);
    // podman's default network is `bridge` through the Docker API: the five containers not on blog_default.
    expect(s.networks.map((n) => [n.name, n.container_count])).toEqual([
      ["blog_default", 2],
      ["bridge", 5],
    ]);
    expect(s.summary.networks).toBe(2);
    expect(s.provenance.source).toBe("stored");
    expect(text(result)).toContain("blog_default (bridge, local) 10.89.57.0/24 gw 10.89.57.1");
    expect(errorCode(await plain.call("list_docker_networks", { device: "nodocker" }))).toBe(
      "COMMAND_MISSING",
    );
  });
});

describe("get_container_logs (live from the engine)", () => {
  interface Logs {
    container: { name: string };
    summary: { lines: number; stdout: number; stderr: number };
    lines: { stream: string; timestamp: string | null; text: string }[];
    truncated: boolean;
    provenance: { source: string };
  }

  test("both streams demultiplexed, timestamps kept", async () => {
    const result = await live.call("get_container_logs", { device: "dock1", container_name: "echoer" });
    const s = ok<Logs>(result);
    expect(s.lines.map((l) => [l.stream, l.text]).sort()).toEqual([
      ["stderr", "err-1"],
      ["stdout", "out-1"],
      ["stdout", "out-2"],
    ]);
    expect(s.lines.filter((l) => l.stream === "stdout").map((l) => l.text)).toEqual(["out-1", "out-2"]);
    for (const line of s.lines)
      expect(Date.parse(line.timestamp ?? "")).toBeGreaterThan(Date.now() - 600_000);
    expect([s.summary.stdout, s.summary.stderr, s.truncated]).toEqual([2, 1, false]);
    expect(s.provenance.source).toBe("live");
    expect(text(result)).toContain("ERR err-1");
    for (const line of ["out-1", "out-2"]) expect(text(result)).toContain(line);
  });

  test("tail and since bound the answer; a TTY container's raw stream is read too", async () => {
    const last = ok<Logs>(
      await live.call("get_container_logs", { device: "dock1", container_name: "chatty", tail: 2 }),
    );
    expect(last.lines.map((l) => l.text.split(" ")[0])).toEqual(["line-1498", "line-1499"]);
    const future = ok<Logs>(
      await live.call("get_container_logs", {
        device: "dock1",
        container_name: "echoer",
        since: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"),
      }),
    );
    expect(future.lines).toEqual([]);
    const recent = ok<Logs>(
      await live.call("get_container_logs", { device: "dock1", container_name: "echoer", since: "1h" }),
    );
    expect(recent.summary.lines).toBe(3);
    const tty = ok<Logs>(await live.call("get_container_logs", { device: "dock1", container_name: "ttyer" }));
    expect(tty.lines.map((l) => [l.stream, l.text])).toEqual([["tty", "tty-1"]]);
  });

  test("a byte cap keeps the newest lines and says truncated", async () => {
    const s = ok<Logs>(
      await live.call("get_container_logs", { device: "dock1", container_name: "chatty", tail: 5000 }),
    );
    expect(s.truncated).toBe(true);
    expect(s.lines.at(-1)?.text).toBe(`line-1499 ${PADDING}`);
    expect(s.lines.length).toBeLessThan(1500);
    expect(s.lines.length).toBeGreaterThan(500);
  });

  test("a container recreated since the stored sample is found by name; a removed one is NOT_FOUND", async () => {
    await engine.podman("rm", "--force", "--time", "0", "ttyer");
    await engine.podman(
      "run",
      "-d",
      "-t",
      "--name",
      "ttyer",
      engine.image,
      "sh",
      "-c",
      "echo tty-2; sleep 600",
    );
    await waitFor("the new ttyer's output", async () =>
      (await engine.podman("logs", "ttyer")).includes("tty-2") ? true : undefined,
    );
    const tty = ok<Logs>(await live.call("get_container_logs", { device: "dock1", container_name: "ttyer" }));
    expect(tty.lines.map((l) => l.text)).toEqual(["tty-2"]);
    await engine.podman("rm", "--force", "oneshot");
    const gone = await live.call("get_container_logs", { device: "dock1", container_name: "oneshot" });
    expect(errorCode(gone)).toBe("NOT_FOUND");
    expect(text(gone)).toContain("no longer exists on dock1");
  });

  test("errors: unknown container NOT_FOUND, no Docker COMMAND_MISSING, no live access HOST_UNREACHABLE", async () => {
    const unknown = await live.call("get_container_logs", { device: "dock1", container_name: "nosuch" });
    expect(errorCode(unknown)).toBe("NOT_FOUND");
    const missing = await live.call("get_container_logs", { device: "nodocker", container_name: "echoer" });
    expect(errorCode(missing)).toBe("COMMAND_MISSING");
    const offline = await plain.call("get_container_logs", { device: "dock1", container_name: "echoer" });
    expect(errorCode(offline)).toBe("HOST_UNREACHABLE");
    const tooMany = await live.call("get_container_logs", {
      device: "dock1",
      container_name: "echoer",
      tail: 5001,
    });
    expect(errorCode(tooMany)).toBe("INVALID_ARGUMENT");
  });
});
