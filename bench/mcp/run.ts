import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { PgHostKeyStore } from "@infrastructor/lib/exec/ssh/host-key-store.ts";
import { SshExecutor } from "@infrastructor/lib/exec/ssh/ssh-executor.ts";
import { SshPool } from "@infrastructor/lib/exec/ssh/ssh-pool.ts";
import { startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { startTestSshd } from "@infrastructor/lib/testing/sshd.ts";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import pino from "pino";
import postgres from "postgres";
import { buildCollector } from "../../agent/src/build-collectors.ts";
import { configFromObject } from "../../agent/src/config.ts";
import { createEnvelopeFactory } from "../../agent/src/envelope-factory.ts";
import { refreshRollupsNow } from "../../collector/src/maintenance/refresh-rollups-now.ts";
import { createBackend } from "../../mcp/src/backend.ts";
import { loadMcpConfig } from "../../mcp/src/config.ts";
import { createMcpServer } from "../../mcp/src/server.ts";
import { deviceTemplates } from "./fleet-data.ts";
import { timedExecutor } from "./timed-executor.ts";

/**
 * bench/mcp: tool latency from the store, and live-fallback latency per command over a pooled SSH
 * connection, each against a baseline measured in the same run.
 *   bun bench/mcp/run.ts [devices=200] [containers=50] [hours=24] [calls=60]
 * Stored: every tool's p50/p95 through a real MCP Client (in-memory transport) over a database filled
 * through the real pipeline, plus 24 h of 15 s system samples per device COPYed into system_metrics and
 * rolled up; baseline: the raw latest_state lookup with postgres.js. Live: the system, network and
 * inventory collectors over SshExecutor (loopback sshd, a login user with /bin/sh); baseline: the
 * same collectors over LocalExecutor.
 */
const devices = Number(process.argv[2] ?? 200);
const containers = Number(process.argv[3] ?? 50);
const hours = Number(process.argv[4] ?? 24);
const calls = Number(process.argv[5] ?? 60);
/** Live by nature (no stored answer to time). */
const LIVE_ONLY = new Set(["get_container_logs"]);

const pipeline = await startPipeline({ LOG_LEVEL: "error" });
const cleanups: (() => Promise<void>)[] = [];
const sql = postgres(pipeline.pg.url, { max: 2, onnotice: () => {} });
try {
  const names = Array.from({ length: devices }, (_, i) => `bench-${String(i).padStart(3, "0")}`);
  const template = await deviceTemplates(containers);
  cleanups.push(template.cleanup);
  const now = new Date();
  const envelopes = names.flatMap((host, i) => {
    const factory = createEnvelopeFactory({ host });
    return Object.entries(template.forDevice(i)).map(([domain, result]) =>
      factory.build(domain, result, now),
    );
  });
  let started = performance.now();
  await publishEnvelopes(pipeline.nc.jetstream(), envelopes, 500);
  const expected = envelopes.length;
  for (;;) {
    const [row] = await sql`SELECT count(*)::int AS n FROM latest_state`;
    if ((row?.n ?? 0) >= expected) break;
    await Bun.sleep(100);
  }
  console.log(`${envelopes.length} envelopes from ${devices} devices stored in ${s(started)} s`);

  started = performance.now();
  const historyRows = await copySystemHistory(sql, hours, now);
  await refreshRollupsNow(sql, { from: new Date(now.getTime() - hours * 3_600_000), to: now });
  await sql`ANALYZE`;
  console.log(
    `${historyRows} system_metrics rows (${hours} h x 15 s x ${devices}) copied and rolled up in ${s(started)} s`,
  );

  // Baseline: the query every stored answer starts with, straight from postgres.js.
  const ids = (await sql<{ id: number }[]>`SELECT id FROM devices`).map((r) => r.id);
  const baseline = await measure(calls, async (i) => {
    await sql`SELECT payload FROM latest_state WHERE device_id = ${ids[i % ids.length] ?? 0} AND domain = 'docker'`;
  });
  console.log(`baseline  latest_state lookup (postgres.js): p50 ${ms(baseline.p50)} p95 ${ms(baseline.p95)}`);

  const config = loadMcpConfig({ DATABASE_URL: pipeline.pg.url, LOG_LEVEL: "silent", MCP_SLOW_QUERY: "10s" });
  const backend = createBackend(config, pino({ level: "silent" }));
  const server = createMcpServer(backend.deps);
  const client = new Client({ name: "bench", version: "1" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  const tools = (await client.listTools()).tools.filter((t) => !LIVE_ONLY.has(t.name));
  let worst = { name: "", p95: 0 };
  for (const tool of tools) {
    const timing = await measure(calls, async (i) => {
      const result = await client.callTool({
        name: tool.name,
        arguments: argsFor(tool, names[(i * 37) % names.length] ?? ""),
      });
      if (result.isError) throw new Error(`${tool.name}: ${JSON.stringify(result.content)}`);
    });
    if (timing.p95 > worst.p95) worst = { name: tool.name, p95: timing.p95 };
    console.log(
      `stored    ${tool.name.padEnd(30)} p50 ${ms(timing.p50)} p95 ${ms(timing.p95)} (${(timing.p95 / baseline.p95).toFixed(1)}x baseline p95)`,
    );
  }
  await client.close();
  await backend.close();

  const live = await measureLive(pipeline.pg.url);
  console.log(
    `live      per command over the pooled SSH connection: p50 ${ms(live.ssh.p50)} p95 ${ms(live.ssh.p95)} (${live.commands} commands)`,
  );
  console.log(
    `baseline  the same commands locally: p50 ${ms(live.local.p50)} (ssh/local p50 ${(live.ssh.p50 / live.local.p50).toFixed(1)}x)`,
  );
  console.log(
    `bench mcp: stored p95 ${worst.p95.toFixed(1)} ms (worst: ${worst.name}; ${(worst.p95 / baseline.p95).toFixed(1)}x raw lookup), live p50 ${live.ssh.p50.toFixed(1)} ms (${live.connects} connection) (target: stored p95 < 25 ms, live p50 < 50 ms)`,
  );
} finally {
  await sql.end();
  await pipeline.destroy();
  for (const cleanup of cleanups) await cleanup();
}

/** Arguments a user would pass: the required ones, and a day of history where a tool takes a range. */
function argsFor(tool: Tool, device: string): Record<string, unknown> {
  const props = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
  const required = new Set(tool.inputSchema.required ?? []);
  const args: Record<string, unknown> = {};
  if (required.has("device")) args.device = device;
  if (required.has("container_name")) args.container_name = "stack3-app6-1";
  if ("range" in props) args.range = "24h";
  return args;
}

/** 15 s samples over `hours` for every device, straight into system_metrics with COPY. */
async function copySystemHistory(sql: postgres.Sql, hours: number, now: Date): Promise<number> {
  const ids = (await sql<{ id: number }[]>`SELECT id FROM devices ORDER BY id`).map((r) => r.id);
  const samples = (hours * 3600) / 15;
  let rows = 0;
  for (const id of ids) {
    const lines: string[] = [];
    for (let k = 1; k <= samples; k++) {
      const t = new Date(now.getTime() - k * 15_000).toISOString();
      const cpu = (10 + ((k * 7 + id) % 60)).toFixed(1);
      lines.push(
        `${t}\t${id}\t${cpu}\t0.5\t0.4\t0.3\t16000000000\t${6_000_000_000 + k}\t9000000000\t4000000000\t0\t${86_400 + k * 15}\t180`,
      );
    }
    const stream = await sql
      .unsafe(
        "COPY system_metrics (time, device_id, cpu_pct, load_1, load_5, load_15, mem_total_bytes, mem_used_bytes, mem_available_bytes, swap_total_bytes, swap_used_bytes, uptime_s, process_count) FROM STDIN",
      )
      .writable();
    await new Promise<void>((resolve, reject) => {
      stream.on("error", reject);
      stream.on("finish", resolve);
      stream.end(`${lines.join("\n")}\n`);
    });
    rows += lines.length;
  }
  return rows;
}

/** The commands live fallback runs (system, network, inventory collectors), timed one by one. */
async function measureLive(databaseUrl: string): Promise<{
  ssh: { p50: number; p95: number };
  local: { p50: number; p95: number };
  commands: number;
  connects: number;
}> {
  const sshd = await startTestSshd({ name: "infra-bench", privileges: "user" });
  const db = createBackend(loadMcpConfig({ DATABASE_URL: databaseUrl }), pino({ level: "silent" }));
  const pool = new SshPool({
    hostKeys: { store: new PgHostKeyStore(db.deps.store.db), knownHostsPath: null },
  });
  try {
    const target = { host: sshd.host, port: sshd.port, user: sshd.user, keyPath: sshd.keyPath };
    const ssh = timedExecutor(new SshExecutor(pool, target));
    const local = timedExecutor(new LocalExecutor());
    await ssh.executor.run(["true"]); // the one connect, not billed to the commands
    ssh.durations.length = 0;
    for (let round = 0; round < 3; round++) {
      await runCollectors(ssh.executor);
      await runCollectors(local.executor);
    }
    return {
      ssh: percentiles(ssh.durations),
      local: percentiles(local.durations),
      commands: ssh.durations.length,
      connects: pool.stats().connectsTotal,
    };
  } finally {
    await pool.close();
    await db.close();
    await sshd.destroy();
  }
}

async function runCollectors(executor: Executor): Promise<void> {
  const config = configFromObject({ host: "bench" });
  for (const domain of ["system", "network", "inventory"] as const) {
    const collector = buildCollector(domain, config, executor);
    await collector.prime?.();
    await collector.collect();
  }
}

async function measure(n: number, call: (i: number) => Promise<void>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await call(i); // warm caches and prepared statements
  const durations: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    durations.push(performance.now() - t);
  }
  return percentiles(durations);
}

function percentiles(values: number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function s(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
