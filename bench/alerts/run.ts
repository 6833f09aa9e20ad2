import { DEFAULT_POLICY } from "@infrastructor/lib/alerts/alert.ts";
import {
  loadActiveMutes,
  loadWorkingSet,
  lockAlerts,
  saveEvaluation,
} from "@infrastructor/lib/alerts/alert-store.ts";
import { startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import pino from "pino";
import postgres from "postgres";
import { createEnvelopeFactory } from "../../agent/src/envelope-factory.ts";
import { evaluateAlerts } from "../../collector/src/alerts/evaluate.ts";
import { planNotifications } from "../../collector/src/alerts/notify-plan.ts";
import { observeFleet } from "../../collector/src/alerts/observe.ts";
import { createBackend } from "../../mcp/src/backend.ts";
import { loadMcpConfig } from "../../mcp/src/config.ts";
import { fleetFindings } from "../../mcp/src/tools/fleet/fleet-findings.ts";
import { deviceTemplates } from "../mcp/fleet-data.ts";

/**
 * bench/alerts: one alert evaluation over a fleet (observe the health check's findings from stored
 * data, run the state machine, plan, write alerts, history and outbox in one transaction) against
 * the health check's own query over the same fleet, measured in the same run.
 *   bun bench/alerts/run.ts [devices=1000] [cycles=20] [containers=20]
 * Database load per cycle: rows read and written and transactions, from pg_stat_database deltas.
 */
const devices = Number(process.argv[2] ?? 1000);
const cycles = Number(process.argv[3] ?? 20);
const containers = Number(process.argv[4] ?? 20);
const W = { windowH: 24, fullWithinDays: 7 };

const pipeline = await startPipeline({ LOG_LEVEL: "error" });
const sql = postgres(pipeline.pg.url, { max: 4, onnotice: () => {} });
const template = await deviceTemplates(containers);
try {
  const names = Array.from({ length: devices }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  const now = new Date();
  const envelopes = names.flatMap((host, i) => {
    const factory = createEnvelopeFactory({ host });
    return Object.entries(template.forDevice(i)).map(([domain, result]) =>
      factory.build(domain, result, now),
    );
  });
  const started = performance.now();
  await publishEnvelopes(pipeline.nc.jetstream(), envelopes, 500);
  for (;;) {
    const [row] = await sql`SELECT count(*)::int AS n FROM latest_state`;
    if ((row?.n ?? 0) >= envelopes.length) break;
    await Bun.sleep(200);
  }
  await sql`ANALYZE`;
  console.log(`${envelopes.length} envelopes from ${devices} devices stored in ${s(started)} s`);

  const backend = createBackend(
    loadMcpConfig({ DATABASE_URL: pipeline.pg.url, LOG_LEVEL: "silent", MCP_STALE_AFTER: "system=1h" }),
    pino({ level: "silent" }),
  );
  const deps = backend.deps;

  // Baseline: the fleet health check's findings from stored data, as analyze_infrastructure_health
  // computes them without live reads.
  const base = await measure(cycles, async () => {
    await fleetFindings(deps, W, new Date(), { live: false });
  });
  // The evaluation cycle, as the engine runs it (the first one creates every alert; later ones mostly
  // find nothing changed, which is the steady state).
  let evaluations = 0;
  let lastAlerts = 0;
  const cycle = await measure(cycles, async () => {
    const at = new Date(Date.now() + evaluations * 60_000);
    evaluations += 1;
    const observations = await observeFleet(deps, W, at);
    await sql.begin(async (tx) => {
      await lockAlerts(tx);
      const previous = await loadWorkingSet(tx);
      const mutes = await loadActiveMutes(tx, at);
      const policy = { ...DEFAULT_POLICY, forMs: 0 };
      const { alerts, events } = evaluateAlerts(previous, observations, at, () => policy);
      const down = new Set(
        [...alerts.values()]
          .filter((a) => a.rule === "host_down" && a.state === "firing")
          .map((a) => a.device),
      );
      const plan = planNotifications(events, { now: at, mutes, tagsOf: () => [], down, groupAtLeast: 3 });
      await saveEvaluation(tx, alerts, events, plan, () => ["bench"], previous);
      lastAlerts = alerts.size;
    });
  });
  const [outbox] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM notification_outbox`;
  console.log(
    `baseline  health-check findings (stored): p50 ${ms(base.p50)} p95 ${ms(base.p95)}; ${fmt(base.load)}`,
  );
  console.log(
    `cycle     alert evaluation:               p50 ${ms(cycle.p50)} p95 ${ms(cycle.p95)}; ${fmt(cycle.load)}`,
  );
  console.log(`${lastAlerts} alerts followed, ${outbox?.n ?? 0} outbox rows (grouped notifications)`);
  console.log(
    `bench alerts: ${devices} devices, cycle p50 ${ms(cycle.p50)} = x${(cycle.p50 / base.p50).toFixed(2)} the health check's query ` +
      `(p95 ${ms(cycle.p95)}) (target: under 2x the health check and under 5 s a cycle at 1,000 hosts, well inside a 30 s interval)`,
  );
  await backend.close();
} finally {
  await template.cleanup();
  await sql.end({ timeout: 5 });
  await pipeline.destroy();
}

interface Load {
  xacts: number;
  read: number;
  written: number;
}

async function dbLoad(): Promise<Load> {
  const [r] = await sql<{ x: string; r: string; w: string }[]>`
    SELECT (xact_commit + xact_rollback)::text AS x, (tup_returned + tup_fetched)::text AS r,
           (tup_inserted + tup_updated + tup_deleted)::text AS w
    FROM pg_stat_database WHERE datname = current_database()`;
  return { xacts: Number(r?.x ?? 0), read: Number(r?.r ?? 0), written: Number(r?.w ?? 0) };
}

async function measure(
  n: number,
  run: () => Promise<void>,
): Promise<{ p50: number; p95: number; load: Load }> {
  const times: number[] = [];
  // pg_stat_database is updated when a backend reports (at transaction end, at most every 500 ms by default).
  await Bun.sleep(1100);
  const before = await dbLoad();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  await Bun.sleep(1100);
  const after = await dbLoad();
  times.sort((a, b) => a - b);
  const per = (k: keyof Load): number => Math.round((after[k] - before[k]) / n);
  return {
    p50: times[Math.floor(n / 2)] ?? 0,
    p95: times[Math.min(n - 1, Math.floor(n * 0.95))] ?? 0,
    load: { xacts: per("xacts"), read: per("read"), written: per("written") },
  };
}

function fmt(l: Load): string {
  return `per run ${l.xacts} transactions, ${l.read} rows read, ${l.written} rows written`;
}
function ms(v: number): string {
  return `${v.toFixed(1)} ms`;
}
function s(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
