import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import { syslogLines } from "@infrastructor/domains/logs/server/testing/fake-journal.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import pino from "pino";
import { loadMcpConfig } from "../src/config.ts";
import { sshLiveSource } from "../src/live/ssh-live-source.ts";

/**
 * A one-machine stack: the MCP server runs where the device is, and nobody set an SSH target. Its
 * container logs and a service's logs are read here through the local executor, with the server's
 * production wiring (sshLiveSource) deciding which device is this machine (MCP_LOCAL_DEVICE, or the
 * hostname by default). Real podman Docker API, a real syslog file.
 */
let harness: McpHarness;
let engine: TestPodman;
let root: string;
let named: McpSession;
let auto: McpSession;
const HERE = hostname();

type Result = Awaited<ReturnType<McpSession["call"]>>;
function structured<T>(r: Result): T {
  if (r.isError) throw new Error(`tool failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent as T;
}
function textOf(r: Result): string {
  return (r.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? "").join("\n");
}

beforeAll(async () => {
  [harness, engine] = await Promise.all([startMcpHarness(), startTestPodman()]);
  await engine.podman(
    "run",
    "-d",
    "--name",
    "greeter",
    engine.image,
    "sh",
    "-c",
    "echo hello from greeter; echo oops >&2; sleep 600",
  );
  await waitFor("greeter's output", async () => (await engine.podman("logs", "greeter")).includes("hello"));
  const docker = await createDockerCollector({
    executor: new LocalExecutor(),
    socket: engine.socket,
  }).collect();
  if (docker.data === null) throw new Error(`no docker data: ${JSON.stringify(docker.errors)}`);
  root = await mkdtemp(join(tmpdir(), "mcp-local-"));
  await mkdir(join(root, "var/log"), { recursive: true });
  // Two lines no syslog parser reads: a live read skips them and says so.
  await writeFile(join(root, "var/log/syslog"), `-- MARK --\ngarbage\n${syslogLines(Date.now())}`);
  for (const name of ["onebox", HERE, "elsewhere"]) await harness.ingest(name, "docker", docker);
  const liveConfig = { roots: { host: root }, domains: { docker: { socket: engine.socket } } };
  await harness.servers.sql`
    UPDATE devices SET live_config = ${harness.servers.sql.json(liveConfig)}`;
  const session = (env: Record<string, string>): Promise<McpSession> =>
    harness.connect({
      env,
      live: (store) =>
        sshLiveSource(
          loadMcpConfig({ DATABASE_URL: harness.servers.pg.url, MCP_SSH_KNOWN_HOSTS: "none", ...env }),
          store,
          pino({ level: "silent" }),
        ),
    });
  named = await session({ MCP_LOCAL_DEVICE: "onebox" });
  auto = await session({});
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await engine?.destroy();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

type Logs = { lines: Array<{ stream: string; text: string }>; provenance: { source: string } };
type ServiceLogs = {
  summary: { mode: string; source: string; entries: number };
  entries: { message: string }[];
  provenance: { partial?: unknown };
};

test("MCP_LOCAL_DEVICE: container logs of this machine's device come from the local engine, no SSH target", async () => {
  const r = await named.call("get_container_logs", { device: "onebox", container_name: "greeter" });
  const logs = structured<Logs>(r);
  expect(logs.lines.map((l) => [l.stream, l.text])).toEqual([
    ["stdout", "hello from greeter"],
    ["stderr", "oops"],
  ]);
  expect(logs.provenance.source).toBe("live");
  expect(textOf(r)).toContain("hello from greeter");
});

test("MCP_LOCAL_DEVICE: a service's logs of this machine's device come from its syslog file", async () => {
  const r = await named.call("get_system_logs", { device: "onebox", service: "nginx.service" });
  const s = structured<ServiceLogs>(r);
  expect(s.summary).toMatchObject({ mode: "live", source: "syslog /var/log/syslog", entries: 2 });
  expect(s.entries.map((e) => e.message.slice(0, 8))).toEqual(["x".repeat(8), "upstream"]);
  expect(s.provenance.partial).toEqual({ failed_sources: [], skipped_items: 2, skipped: [] });
  expect(textOf(r)).toContain("PARTIAL: 2 items skipped");
});

test("by default the device named like this machine's hostname is this machine", async () => {
  const logs = structured<Logs>(
    await auto.call("get_container_logs", { device: HERE, container_name: "greeter" }),
  );
  expect(logs.lines.map((l) => l.text)).toEqual(["hello from greeter", "oops"]);
  const s = structured<ServiceLogs>(await auto.call("get_system_logs", { device: HERE, service: "nginx" }));
  expect(s.summary.entries).toBe(2);
});

test("another device without an SSH target: HOST_UNREACHABLE that says how to fix it", async () => {
  for (const [session, device] of [
    [named, "elsewhere"],
    [named, HERE], // MCP_LOCAL_DEVICE names onebox: the hostname no longer counts
    [auto, "onebox"],
  ] as const) {
    const r = await session.call("get_container_logs", { device, container_name: "greeter" });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toStartWith("HOST_UNREACHABLE:");
    expect(text).toContain(`MCP_LOCAL_DEVICE=${device}`);
    expect(text).toContain(`set-target ${device}`);
  }
});
