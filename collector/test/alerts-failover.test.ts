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
 * Two real collector processes on one database and stream: one evaluates (the advisory-lock leader),
 * so each alert is notified once, not once per collector; SIGKILL the leader and the other takes
 * over within an evaluation interval: the next alert is neither lost nor doubled.
 */
let dir: string;
let receiver: HttpReceiver;
let alertsEnv: Record<string, string>;
let servers: PipelineServers;
const collectors: CollectorProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "alerts-failover-"));
  receiver = startHttpReceiver();
  alertsEnv = await hookAlertsEnv(dir, receiver, ["for: 1s", "evaluate_every: 1s", "group_wait: 0s"]);
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

const firing = (host: string): number =>
  receiver.requests.filter((r) => JSON.parse(r.body).title === `[CRITICAL] ${host}: not reporting`).length;

test("two collectors: one notification per alert; the leader SIGKILLed: the other takes over", async () => {
  const leader = await collector();
  await publishEnvelopes(servers.js, [systemEnvelope("first", 0, Date.now())]);
  // The only collector so far notifies: it holds the lead.
  await waitFor("first's notification", async () => firing("first") === 1, 90_000, 100);
  const follower = await collector();
  await follower.health();

  await leader.kill();
  // A second host goes silent after the leader died: only the follower can notice.
  await publishEnvelopes(servers.js, [systemEnvelope("second", 0, Date.now())]);
  await waitFor("second's notification", async () => firing("second") === 1, 90_000, 100);
  // Every notification once: the follower took over the alerts the leader had written, without
  // notifying "first" again.
  expect([firing("first"), firing("second")]).toEqual([1, 1]);
  const events = await servers.sql<{ alert_key: string; kind: string }[]>`
    SELECT alert_key, kind FROM alert_events ORDER BY id`;
  expect(events.map((e) => [e.alert_key.split("|")[1], e.kind])).toEqual([
    ["first", "firing"],
    ["second", "firing"],
  ]);
}, 240_000);
