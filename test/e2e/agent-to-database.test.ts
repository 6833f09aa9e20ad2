import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentProcess, spawnAgent } from "@infrastructor/lib/testing/agent-process.ts";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { onlySystemDomain } from "@infrastructor/lib/testing/only-system.ts";
import { startTestNats, startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { type Envelope, EnvelopeSchema } from "@infrastructor/shared/envelope.ts";
import { AckPolicy, connect, DeliverPolicy, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";

/**
 * The whole spine with real processes: this machine's agent samples /proc and /sys every second and
 * publishes to a real nats-server; the real collector writes to a real PostgreSQL.
 */
const HOST = "e2e-agent";
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: Awaited<ReturnType<typeof startTestNats>>;
let collector: CollectorProcess;
let agent: AgentProcess;
let sql: Sql;
let spoolDir: string;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNats()]);
  collector = await spawnCollector({ DATABASE_URL: pg.url, NATS_URL: nats.url });
  spoolDir = await mkdtemp(join(tmpdir(), "infra-e2e-spool-"));
  agent = spawnAgent({
    NATS_URL: nats.url,
    INFRA_HOST: HOST,
    INFRA_SYSTEM_INTERVAL_S: "1",
    ...onlySystemDomain(), // this test is about the spine: apt, docker and the rest stay off
    INFRA_SPOOL_DIR: spoolDir,
  });
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await collector?.stop();
  await sql?.end();
  await Promise.all([pg?.destroy(), nats?.destroy(), rm(spoolDir, { force: true, recursive: true })]);
}, 60_000);

const hostRows = async (): Promise<{ time: Date; mem_total_bytes: number; cpu_pct: number | null }[]> =>
  await sql`
    SELECT m.time, m.mem_total_bytes::float8 AS mem_total_bytes, m.cpu_pct
    FROM system_metrics m JOIN devices d ON d.id = m.device_id
    WHERE d.hostname = ${HOST} ORDER BY m.time`;

/** Every envelope of this host that JetStream holds, read back with a throwaway ordered consumer. */
async function streamEnvelopes(nc: NatsConnection): Promise<Envelope[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info("INFRA");
  const name = `e2e-read-${Date.now()}`;
  await jsm.consumers.add("INFRA", {
    name,
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    filter_subject: `infra.v1.${HOST}.system`,
  });
  const consumer = await nc.jetstream().consumers.get("INFRA", name);
  const out: Envelope[] = [];
  const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 2000 });
  for await (const m of batch) out.push(EnvelopeSchema.parse(m.json()));
  await jsm.consumers.delete("INFRA", name);
  return out;
}

describe("agent -> NATS -> collector -> database", () => {
  test("this machine's system metrics arrive with the right values", async () => {
    const rows = await waitFor(
      "3 samples of this machine",
      async () => {
        const r = await hostRows();
        return r.length >= 3 ? r : undefined;
      },
      60_000,
      250,
    );
    const memTotalKb = Number(/MemTotal:\s+(\d+) kB/.exec(await readFile("/proc/meminfo", "utf8"))?.[1]);
    expect(rows[0]?.mem_total_bytes).toBe(memTotalKb * 1024);
    const withCpu = rows.filter((r) => r.cpu_pct !== null);
    expect(withCpu.length).toBeGreaterThan(0);
    for (const r of withCpu) expect(r.cpu_pct).toBeGreaterThanOrEqual(0);
    const [state] = await sql`
      SELECT l.payload FROM latest_state l JOIN devices d ON d.id = l.device_id
      WHERE d.hostname = ${HOST} AND l.domain = 'system'`;
    expect(state?.payload.memory.total_bytes).toBe(memTotalKb * 1024);
    const [device] = await sql`SELECT agent_version FROM devices WHERE hostname = ${HOST}`;
    expect(device?.agent_version).toMatch(/^\d+\.\d+\.\d+/);
  });

  test("NATS stopped for 30 s while the agent keeps sampling: the spool replays, every sample once", async () => {
    await nats.stop();
    const stoppedAt = Date.now();
    await Bun.sleep(30_000);
    await nats.start();
    const restartedAt = Date.now();

    const nc = await connect({ servers: nats.url });
    try {
      // Wait until samples taken after the restart are stored: the spool (older) went out first.
      await waitFor(
        "samples from after the outage",
        async () => {
          const rows = await hostRows();
          return rows.some((r) => r.time.getTime() > restartedAt + 2000);
        },
        90_000,
        500,
      );
      await waitFor(
        "an empty consumer backlog",
        async () => {
          const c = (await collector.health()).body.consumer as {
            pending: number;
            ack_pending: number;
          } | null;
          return c?.pending === 0 && c.ack_pending === 0;
        },
        60_000,
        250,
      );

      const sent = await streamEnvelopes(nc);
      const seqs = sent.map((e) => e.seq).sort((a, b) => a - b);
      expect(new Set(sent.map((e) => e.boot_id)).size).toBe(1);
      // No gap and no repeat in what the agent got into JetStream ...
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
      const during = sent.filter((e) => {
        const t = Date.parse(e.collected_at);
        return t > stoppedAt + 1000 && t < restartedAt - 1000;
      });
      expect(during.length).toBeGreaterThanOrEqual(25);
      // ... and every one of them is a row, once. The agent keeps sampling: the newest envelopes may
      // still be on their way to the database, so wait for exactly the ones read from the stream.
      const stored = new Set(sent.map((e) => new Date(e.collected_at).toISOString()));
      const rows = await waitFor(
        "every envelope read from the stream as a row",
        async () => {
          const r = await hostRows();
          const times = new Set(r.map((row) => row.time.toISOString()));
          return [...stored].every((t) => times.has(t)) ? r : undefined;
        },
        30_000,
        250,
      );
      const times = rows.map((r) => r.time.toISOString());
      expect(new Set(times).size).toBe(times.length);
    } finally {
      await nc.close();
    }
  }, 200_000);
});
