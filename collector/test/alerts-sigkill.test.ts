import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CollectorProcess, spawnCollector } from "@infrastructor/lib/testing/collector-process.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { hookAlertsEnv } from "@infrastructor/lib/testing/hook-alerts.ts";
import { type HttpReceiver, startHttpReceiver } from "@infrastructor/lib/testing/http-receiver.ts";
import { type PipelineServers, startPipelineServers } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";

/**
 * The outbox's promise, against the real collector process: a notification whose state change is
 * committed is delivered even when the collector is SIGKILLed in the middle of sending it; the next
 * collector sends it again with the same dedup key (at least once; the receiver can drop the copy).
 */
let dir: string;
let receiver: HttpReceiver;
let alertsEnv: Record<string, string>;
let servers: PipelineServers;
const collectors: CollectorProcess[] = [];
const HOST = "sigkill-host";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "alerts-sigkill-"));
  // The first delivery never gets an answer: the collector is killed while it waits.
  receiver = startHttpReceiver();
  receiver.reply(() => new Promise<Response>(() => {}));
  // A send may hang 3 s; a dead collector's claim is free again after 9 s.
  alertsEnv = await hookAlertsEnv(dir, receiver, [
    "for: 1s",
    "evaluate_every: 1s",
    "group_wait: 0s",
    "send_timeout: 3s",
  ]);
  servers = await startPipelineServers();
}, 120_000);

afterAll(async () => {
  for (const c of collectors) await c.kill().catch(() => undefined);
  await servers?.destroy();
  await receiver?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

async function collector(): Promise<CollectorProcess> {
  const c = await spawnCollector({
    DATABASE_URL: servers.pg.url,
    NATS_URL: servers.nats.url,
    ...alertsEnv,
    MCP_STALE_AFTER: "system=3s",
  });
  collectors.push(c);
  return c;
}

test("SIGKILL while a notification is on the wire: the next collector delivers it, same dedup key", async () => {
  const first = await collector();
  await publishEnvelopes(servers.js, [systemEnvelope(HOST, 0, Date.now())]);
  // Silent from now on: the host_down notification is committed to the outbox, then sent (and hangs).
  await waitFor("the first delivery attempt", async () => receiver.requests.length === 1, 90_000, 100);
  await first.kill();
  const [row] = await servers.sql`SELECT sent_at, attempts FROM notification_outbox WHERE channel = 'hook'`;
  expect(row?.sent_at).toBeNull();

  await collector();
  await waitFor(
    "the notification sent by the next collector",
    async () => {
      const [r] = await servers.sql`SELECT sent_at FROM notification_outbox WHERE channel = 'hook'`;
      return r?.sent_at !== null;
    },
    120_000,
    200,
  );
  const keys = receiver.requests.map((r) => r.headers.get("idempotency-key"));
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect(keys[0]).toStartWith(`host_down|${HOST}|`);
  const bodies = receiver.requests.map((r) => JSON.parse(r.body).title);
  expect(bodies).toEqual([`[CRITICAL] ${HOST}: not reporting`, `[CRITICAL] ${HOST}: not reporting`]);
  const rows = await servers.sql`SELECT count(*)::int AS n FROM notification_outbox`;
  expect(rows[0]?.n).toBe(1);
}, 240_000);
