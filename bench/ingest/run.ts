import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addSystemRows } from "@infrastructor/domains/system/server/writer.ts";
import { spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { fleetEnvelopes, ROWS_PER_ENVELOPE, tableCounts } from "@infrastructor/lib/testing/fleet.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { connect } from "nats";
import postgres, { type Sql } from "postgres";
import { copyStatement } from "../../collector/src/ingest/domain-writer.ts";
import { RowBuffers } from "../../collector/src/ingest/row-buffers.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { NatsProcess } from "../../scripts/lib/nats-process.ts";
import { PgCluster } from "../../scripts/lib/pg-cluster.ts";
import { runMigrations } from "../../sql/src/migrate.ts";

/**
 * bench/ingest: end-to-end rows/s (JetStream -> collector -> PostgreSQL) against a baseline measured in
 * the same run on the same cluster: postgres.js COPY of the same rows into the same tables.
 *   bun bench/ingest/run.ts [rows=1000000] [hosts=1000]
 */
const targetRows = Number(process.argv[2] ?? 1_000_000);
const hosts = Number(process.argv[3] ?? 1000);
const perHost = Math.ceil(targetRows / ROWS_PER_ENVELOPE / hosts);
/** The same batch size the collector uses by default, so the baseline pays the same per-commit cost. */
const BATCH_ROWS = 20_000;

const dir = await mkdtemp(join(tmpdir(), "infra-bench-"));
// Its own temp dir: as root PostgreSQL runs as `postgres`, which cannot enter our 0700 one.
const pgDir = await mkdtemp(join(tmpdir(), "infra-bench-pg-"));
const pg = new PgCluster({ dataDir: pgDir, port: freePort(), database: "bench", durable: true });
const nats = new NatsProcess({ storeDir: join(dir, "nats"), port: freePort() });
try {
  await pg.init();
  await pg.start();
  await pg.createDatabase();
  await nats.start();
  const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
  const migrated = await runMigrations(sql);
  if (migrated.error) throw migrated.error;

  const envelopes = fleetEnvelopes(hosts, perHost, Date.now() - perHost * 15_000 - 60_000, "bench");
  const rows = envelopes.length * ROWS_PER_ENVELOPE;
  console.log(
    `${envelopes.length} envelopes from ${hosts} hosts = ${rows} rows (${ROWS_PER_ENVELOPE} per envelope)`,
  );

  const baselineRate = await baselineCopy(sql, envelopes);
  console.log(`baseline  postgres.js COPY into the same tables: ${fmt(baselineRate)} rows/s`);
  await sql`TRUNCATE system_metrics, disk_usage, disk_io, network_io, temperatures, latest_state, devices RESTART IDENTITY CASCADE`;

  // The stream is filled first, with no collector running, then the collector drains it: on this
  // 2-core machine a publisher running alongside would bill the simulated fleet's CPU to the collector.
  const env = { DATABASE_URL: pg.url, NATS_URL: nats.url, LOG_LEVEL: "error", ...benchEnv() };
  await (await spawnCollector(env)).stop(); // creates the stream and the durable consumer
  const nc = await connect({ servers: nats.url });
  const publishStarted = performance.now();
  await publishEnvelopes(nc.jetstream(), envelopes, 1000);
  const publishSeconds = (performance.now() - publishStarted) / 1000;
  await nc.close();
  console.log(
    `published ${envelopes.length} envelopes in ${publishSeconds.toFixed(2)} s (${fmt(envelopes.length / publishSeconds)} msgs/s)`,
  );

  // The clock starts at the first committed batch, so the collector's start (Bun, migrations check,
  // connections) is not billed as ingest time; that first batch's rows are left out of the count.
  const collector = await spawnCollector(env);
  let started = 0;
  let rowsBefore = 0;
  for (;;) {
    const [first] = await sql`SELECT EXISTS (SELECT 1 FROM system_metrics) AS any`;
    if (first?.any) {
      started = performance.now();
      rowsBefore = Object.values(await tableCounts(sql)).reduce((a, b) => a + b, 0);
      break;
    }
    await Bun.sleep(5);
  }
  const cpuBefore = await machineCpu();
  // Done when every message is acked: acks follow the commit. Polling the consumer (not count(*) on
  // growing tables) keeps the measurement from taxing the database it measures.
  for (;;) {
    const { body } = await collector.health();
    const c = body.consumer as { pending: number; ack_pending: number } | null;
    if (c && c.pending === 0 && c.ack_pending === 0) break;
    await Bun.sleep(20);
  }
  const pipelineRate = (rows - rowsBefore) / ((performance.now() - started) / 1000);
  const cpuSeconds = await processCpuSeconds(collector.proc.pid);
  const peakRss = /VmHWM:\s+(\d+) kB/.exec(await Bun.file(`/proc/${collector.proc.pid}/status`).text())?.[1];
  const cpuAfter = await machineCpu();
  const busy = (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total);
  console.log(`pipeline  JetStream -> collector -> PostgreSQL: ${fmt(pipelineRate)} rows/s`);
  console.log(
    `collector CPU: ${cpuSeconds.toFixed(2)} s (${((cpuSeconds * 1e6) / rows).toFixed(2)} µs per row); peak RSS ${Math.round(Number(peakRss) / 1024)} MiB; machine busy ${(busy * 100).toFixed(0)}% of ${navigator.hardwareConcurrency} cores`,
  );
  await collector.stop();
  const counts = await tableCounts(sql);
  const stored = Object.values(counts).reduce((a, b) => a + b, 0);
  if (stored !== rows) throw new Error(`expected ${rows} rows, found ${stored}: ${JSON.stringify(counts)}`);
  await sql.end();
  const ratio = pipelineRate / baselineRate;
  console.log(
    `bench ingest: ratio ${ratio.toFixed(2)} (pipeline ${fmt(pipelineRate)} rows/s, COPY ${fmt(baselineRate)} rows/s, ${rows} rows) (target >= 0.6)`,
  );
} finally {
  await nats.stop();
  if (await pg.isRunning()) await pg.stop("immediate");
  await rm(dir, { recursive: true, force: true });
  await rm(pgDir, { recursive: true, force: true });
}

/** The same rows, already in COPY text, written in batches of BATCH_ROWS: the floor of what ingest costs. */
async function baselineCopy(sql: Sql, envelopes: ReturnType<typeof fleetEnvelopes>): Promise<number> {
  const ids = new Map<string, number>();
  const inserted = await sql<{ id: number; hostname: string }[]>`
    INSERT INTO devices (hostname) SELECT DISTINCT unnest(${envelopes.map((e) => e.host)}::text[]) RETURNING id, hostname`;
  for (const r of inserted) ids.set(r.hostname, r.id);
  const batches: RowBuffers[] = [];
  let current = new RowBuffers();
  for (const e of envelopes) {
    addSystemRows(current, ids.get(e.host) ?? 0, new Date(e.collected_at), e.data as never);
    if (current.rowCount() >= BATCH_ROWS) {
      batches.push(current);
      current = new RowBuffers();
    }
  }
  batches.push(current);
  const started = performance.now();
  let rows = 0;
  for (const batch of batches) {
    await sql.begin(async (tx) => {
      for (const table of batch.tables()) {
        const stream = await tx.unsafe(copyStatement(table)).writable();
        await new Promise<void>((resolve, reject) => {
          stream.on("error", reject);
          stream.on("finish", resolve);
          stream.end(batch.copyData(table.name));
        });
      }
    });
    rows += batch.rowCount();
  }
  return rows / ((performance.now() - started) / 1000);
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** utime + stime of a live process, from /proc/<pid>/stat (clock ticks are 100 Hz on Linux). */
async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await Bun.file(`/proc/${pid}/stat`).text();
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Machine-wide CPU ticks from /proc/stat: busy (everything but idle and iowait) and total. */
async function machineCpu(): Promise<{ busy: number; total: number }> {
  const line = (await Bun.file("/proc/stat").text()).split("\n")[0] ?? "";
  const ticks = line.split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

/** BENCH_COLLECTOR_ENV='INGEST_WRITERS=3 INGEST_BATCH_ROWS=10000' tries other collector settings. */
function benchEnv(): Record<string, string> {
  const pairs = (process.env.BENCH_COLLECTOR_ENV ?? "").split(/\s+/).filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
}
