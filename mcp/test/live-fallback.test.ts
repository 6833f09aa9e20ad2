import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createSystemCollector } from "@infrastructor/domains/system/agent/index.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { setDeviceTarget } from "@infrastructor/lib/exec/ssh/device-target.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { startTestSshd, type TestSshd } from "@infrastructor/lib/testing/sshd.ts";
import pino from "pino";
import { main as cli } from "../src/cli.ts";
import { loadMcpConfig } from "../src/config.ts";
import type { LiveSource } from "../src/live/live-source.ts";
import { sshLiveSource } from "../src/live/ssh-live-source.ts";

/**
 * Live fallback end to end: stale stored data, a real sshd on loopback (key-only), the agent's own
 * collectors run over the pooled SSH connection; then the ways it fails, each as the issue states.
 */
let harness: McpHarness;
let sshd: TestSshd;
let session: McpSession;
let live: LiveSource;
const HOUR_AGO = new Date(Date.now() - 3_600_000);

type Provenance = {
  source: string;
  stale: boolean;
  live_error?: { code: string };
  partial?: { failed_sources: string[]; skipped_items: number };
};
type Answer = { provenance?: Provenance; error?: { code: string; message: string } };

/** get_system_metrics answers for one device: its provenance is at the top. */
function provenanceOf(answer: Answer): Provenance {
  if (answer.provenance === undefined)
    throw new Error(`no provenance in ${JSON.stringify(answer).slice(0, 300)}`);
  return answer.provenance;
}

beforeAll(async () => {
  [harness, sshd] = await Promise.all([startMcpHarness(), startTestSshd()]);
  const local = new LocalExecutor();
  const system = createSystemCollector({ executor: local });
  await system.prime?.();
  await Bun.sleep(200);
  await harness.ingest("alpha", "system", await system.collect(), HOUR_AGO);
  await harness.ingest(
    "alpha",
    "inventory",
    await createInventoryCollector({ executor: local }).collect(),
    HOUR_AGO,
  );
  const config = loadMcpConfig({ DATABASE_URL: harness.servers.pg.url, MCP_SSH_KNOWN_HOSTS: "none" });
  session = await harness.connect({
    env: { MCP_SSH_KNOWN_HOSTS: "none" },
    live: (store) => {
      live = sshLiveSource(config, store, pino({ level: "silent" }));
      return live;
    },
  });
  await setDeviceTarget(session.backend.deps.store.db, "alpha", {
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    keyPath: sshd.keyPath,
  });
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
  await sshd?.destroy();
}, 60_000);

test("stale stored metrics are replaced by a live read over SSH, on one pooled connection", async () => {
  const first = await session.call("get_system_metrics", { device: "alpha" });
  expect(first.isError).toBeFalsy();
  const p = provenanceOf(first.structuredContent as Answer);
  expect(p.source).toBe("live");
  expect(p.stale).toBe(false);
  // The live values are this machine's (sshd is on loopback): its memory total, from /proc/meminfo.
  const memTotalKb = Number(/MemTotal:\s+(\d+)/.exec(await Bun.file("/proc/meminfo").text())?.[1]);
  expect(JSON.stringify(first.structuredContent)).toContain(String(memTotalKb * 1024));
  const second = await session.call("get_system_metrics", { device: "alpha" });
  expect(provenanceOf(second.structuredContent as Answer).source).toBe("live");
  expect(live.stats?.().connectsTotal).toBe(1);
}, 60_000);

test("a live read that lost a source says so: partial in the provenance and in the text", async () => {
  // An empty sysfs root: the hwmon source fails, everything else is read.
  const sysRoot = await mkdtemp(join(tmpdir(), "live-sys-"));
  try {
    await harness.servers.sql`
      UPDATE devices SET live_config = ${harness.servers.sql.json({ roots: { sys: sysRoot } })}
      WHERE hostname = 'alpha'`;
    const result = await session.call("get_system_metrics", { device: "alpha" });
    expect(result.isError).toBeFalsy();
    const p = provenanceOf(result.structuredContent as Answer);
    expect(p.source).toBe("live");
    expect(p.partial?.failed_sources).toContain("hwmon");
    expect(p.partial?.skipped_items).toBe(0);
    const text = (result.content as Array<{ text?: string }>).map((c) => c.text ?? "").join("\n");
    expect(text).toMatch(/PARTIAL: [^\n]*hwmon[^\n]* failed/);
  } finally {
    await harness.servers.sql`UPDATE devices SET live_config = '{}'::jsonb WHERE hostname = 'alpha'`;
    await rm(sysRoot, { recursive: true, force: true });
  }
}, 60_000);

test("a host without zpool: COMMAND_MISSING, found out live", async () => {
  const result = await session.call("get_zfs_status", { device: "alpha" });
  expect(result.isError).toBe(true);
  expect((result.structuredContent as Answer).error?.code).toBe("COMMAND_MISSING");
}, 60_000);

test("sshd stopped: the stored data comes back marked stale with HOST_UNREACHABLE", async () => {
  await sshd.stop();
  try {
    const started = performance.now();
    const result = await session.call("get_system_metrics", { device: "alpha" });
    expect(result.isError).toBeFalsy();
    const p = provenanceOf(result.structuredContent as Answer);
    expect(p).toMatchObject({ source: "stored", stale: true, live_error: { code: "HOST_UNREACHABLE" } });
    expect(performance.now() - started).toBeLessThan(20_000);
    // Live by nature, nothing stored to fall back on: the error itself.
    const logs = await session.call("get_container_logs", { device: "alpha", container_name: "web" });
    expect(logs.isError).toBe(true);
    expect(["HOST_UNREACHABLE", "NOT_FOUND"]).toContain((logs.structuredContent as Answer).error?.code ?? "");
  } finally {
    await sshd.start();
  }
}, 60_000);

test("a changed host key: HOST_KEY_MISMATCH until the operator re-trusts it", async () => {
  await sshd.restartWithNewHostKey();
  const refused = await session.call("get_system_metrics", { device: "alpha" });
  const p = provenanceOf(refused.structuredContent as Answer);
  expect(p.live_error?.code).toBe("HOST_KEY_MISMATCH");
  expect(p.source).toBe("stored");

  const out: string[] = [];
  const code = await cli(
    ["trust-host", "alpha"],
    { PATH: process.env.PATH, DATABASE_URL: harness.servers.pg.url, MCP_SSH_KNOWN_HOSTS: "none" },
    (line) => out.push(line),
    (line) => out.push(line),
  );
  expect(code).toBe(0);
  expect(out.join("\n")).toContain(sshd.hostKeyFingerprint);
  const trusted = await session.call("get_system_metrics", { device: "alpha" });
  // The whole provenance, so a failure shows the live error (if any) rather than only "stored".
  expect(provenanceOf(trusted.structuredContent as Answer)).toMatchObject({ source: "live", stale: false });
}, 60_000);
