import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CollectorProcess } from "@infrastructor/lib/testing/collector-process.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { missingSamples } from "@infrastructor/lib/testing/fleet.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import type { JetStreamClient } from "nats";
import type { Sql } from "postgres";
import { INTERNAL_ERROR_MAX_DELIVERIES } from "../src/ingest/write-isolating.ts";

/**
 * A write that fails for one message with an error no class explains (here a trigger's own SQLSTATE
 * P0001, as a TimescaleDB bug on one chunk or an extension would give) used to nak the whole batch
 * forever, dragging the good messages batched with it. Now the batch is split: the others are stored,
 * the failing one is held back and, after INTERNAL_ERROR_MAX_DELIVERIES, rejected. A failure that hits
 * every message alike (the system's, not the data's) is retried whole and nothing is rejected.
 */
let pipeline: Pipeline;
let collector: CollectorProcess;
let js: JetStreamClient;
let sql: Sql;
const t0 = Date.now() - 3_600_000;

beforeAll(async () => {
  // Retries back off to at most 2 s (15 s in production; a held-back message waits 5 s), so each
  // test's 8 deliveries take seconds rather than a minute.
  pipeline = await startPipeline({ INGEST_RETRY_MAX: "2s" });
  ({ collector, js, sql } = pipeline);
  await sql.unsafe(`
    CREATE FUNCTION refuse_cursed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM devices WHERE id = NEW.device_id AND hostname LIKE 'cursed%') THEN
        RAISE EXCEPTION 'simulated failure for this host only';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_cursed BEFORE INSERT ON system_metrics FOR EACH ROW EXECUTE FUNCTION refuse_cursed();
  `);
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

test("one message failing alone with an unexplained error is held back, then rejected; the others are all stored", async () => {
  const cursed = [0, 1, 2].map((seq) => systemEnvelope("cursed1", seq, t0 + seq * 15_000));
  const good: Envelope[] = [];
  let round = 0;
  // Good traffic keeps flowing, as a fleet's does, so the held-back message meets others again.
  const publishRound = async (): Promise<void> => {
    const batch = Array.from({ length: 20 }, (_, h) =>
      systemEnvelope(`fine${h}`, round, t0 + round * 15_000),
    );
    round += 1;
    good.push(...batch);
    await publishEnvelopes(js, batch);
  };
  await publishRound();
  await publishEnvelopes(js, cursed);
  await publishRound();

  await waitFor(
    "every cursed message rejected",
    async () => {
      await publishRound();
      const [row] = await sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM ingest_rejects WHERE subject = 'infra.v1.cursed1.system'`;
      return (row?.n ?? 0) >= cursed.length;
    },
    240_000,
    1_000,
  );
  await waitFor("an empty backlog", () => collector.drained(), 120_000, 500);

  expect(await missingSamples(sql, good)).toEqual([]);
  const rejects = await sql<{ reason: string; detail: string }[]>`
    SELECT reason, detail FROM ingest_rejects WHERE subject = 'infra.v1.cursed1.system'`;
  expect(rejects).toHaveLength(cursed.length);
  for (const r of rejects) {
    expect(r.reason).toBe("db_rejected");
    // Held back at least that often (deliveries alone, where it cannot be told apart, add to it).
    const times = Number(/failed (\d+) times alone/.exec(r.detail)?.[1]);
    expect(times).toBeGreaterThanOrEqual(INTERNAL_ERROR_MAX_DELIVERIES);
    expect(r.detail).toContain("simulated failure for this host only");
  }
  const [stored] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id WHERE d.hostname = 'cursed1'`;
  expect(stored?.n).toBe(0);
}, 400_000);

test("a failure that hits every message alike is retried whole: nothing is rejected, all is stored once it clears", async () => {
  await sql.unsafe(`
    CREATE OR REPLACE FUNCTION refuse_cursed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'simulated failure for everything';
    END $$;
  `);
  const [before] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ingest_rejects`;
  const jsm = await js.jetstreamManager();
  const deliveredBefore = (await jsm.consumers.info("INFRA", "collector")).delivered.consumer_seq;
  const batch = Array.from({ length: 20 }, (_, h) => systemEnvelope(`later${h}`, 0, t0));
  await publishEnvelopes(js, batch);
  // Every message is delivered past the point where a message-specific failure would be rejected.
  await waitFor(
    "the messages to be redelivered past the rejection threshold",
    async () => {
      const info = await jsm.consumers.info("INFRA", "collector");
      return info.delivered.consumer_seq - deliveredBefore >= 20 * INTERNAL_ERROR_MAX_DELIVERIES;
    },
    240_000,
    1_000,
  );
  const [during] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ingest_rejects`;
  expect(during?.n).toBe(before?.n);
  await sql.unsafe("DROP TRIGGER refuse_cursed ON system_metrics");
  await waitFor("an empty backlog", () => collector.drained(), 120_000, 500);
  expect(await missingSamples(sql, batch)).toEqual([]);
  const [after] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ingest_rejects`;
  expect(after?.n).toBe(before?.n);
}, 400_000);
