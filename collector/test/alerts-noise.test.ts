import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_API_TOKEN } from "@infrastructor/lib/testing/collector-process.ts";
import { domainEnvelope, systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { hookAlertsEnv } from "@infrastructor/lib/testing/hook-alerts.ts";
import { type HttpReceiver, startHttpReceiver } from "@infrastructor/lib/testing/http-receiver.ts";
import { dockerData } from "@infrastructor/lib/testing/mcp/synthetic-docker.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";

/**
 * The noise controls through the real pipeline (agent envelopes through NATS into the collector
 * process, its engine judging the stored data, a real HTTP receiver behind the webhook channel): a
 * crashed host's container alerts are inhibited, a mute set over REST silences a host until it is
 * lifted, and a flapping host is one "flapping" notice, not a storm.
 */
let dir: string;
let receiver: HttpReceiver;
let alertsEnv: Record<string, string>;
let pipeline: Pipeline;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "alerts-noise-"));
  receiver = startHttpReceiver();
  alertsEnv = await hookAlertsEnv(
    dir,
    receiver,
    ["for: 1s", "clear_for: 0s", "evaluate_every: 1s", "group_wait: 0s", "flap: { count: 4, window: 10m }"],
    // A crash takes the host's containers down a little after the host: they wait longer.
    [
      "builtin:",
      "  container_unhealthy: { for: 8s }",
      "  container_exited: { for: 8s }",
      "  depends_on_down: { for: 8s }",
    ],
  );
  pipeline = await startPipeline({
    ...alertsEnv,
    MCP_STALE_AFTER: "system=3s",
  });
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
  await receiver?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

const titlesFor = (host: string): string[] =>
  receiver.requests
    .map((r) => JSON.parse(r.body) as { title: string; hosts: string[] })
    .filter((b) => b.hosts.includes(host))
    .map((b) => b.title);

/** Every notification queued so far has reached the receiver (the outbox sends after the engine writes). */
async function outboxEmptied(): Promise<void> {
  await waitFor(
    "the outbox sent",
    async () => {
      const [row] = await pipeline.sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM notification_outbox WHERE sent_at IS NULL AND failed_at IS NULL`;
      return row?.n === 0;
    },
    90_000,
    200,
  );
}

async function suppressed(host: string, reason: string): Promise<string[]> {
  const rows = await pipeline.sql<{ alert_key: string }[]>`
    SELECT alert_key FROM alert_events WHERE suppressed = ${reason} AND alert_key LIKE ${`%|${host}|%`}`;
  return rows.map((r) => r.alert_key);
}

async function api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${pipeline.collector.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

test("a crashed host: its own alert only; its containers' alerts are inhibited, kept in the history", async () => {
  await publishEnvelopes(pipeline.js, [
    systemEnvelope("crashed", 0, Date.now()),
    domainEnvelope("crashed", "docker", dockerData(0, 8)),
  ]);
  await waitFor(
    "a container alert inhibited",
    async () => (await suppressed("crashed", "inhibited")).length > 0,
    90_000,
    200,
  );
  // The host's own notice goes out through the outbox, which may trail the inhibition on a busy machine.
  await waitFor("the host's own notice", async () => titlesFor("crashed").length > 0, 90_000, 200);
  await outboxEmptied();
  expect(titlesFor("crashed")).toEqual(["[CRITICAL] crashed: not reporting"]);
  const held = await suppressed("crashed", "inhibited");
  expect(held.filter((k) => !/^(container_\w+|depends_on_down)\|/.test(k))).toEqual([]);
}, 180_000);

test("muted over REST: nothing while muted; lifted: the swallowed alert is told once", async () => {
  const mute = await api("POST", "/alerts/mutes", { device: "quiet", for: "1h", reason: "moving racks" });
  await publishEnvelopes(pipeline.js, [systemEnvelope("quiet", 0, Date.now())]);
  await waitFor("the muted firing", async () => (await suppressed("quiet", "muted")).length > 0, 90_000, 200);
  expect(titlesFor("quiet")).toEqual([]);
  await api("DELETE", `/alerts/mutes/${mute.id}`);
  await waitFor("the news the mute held back", async () => titlesFor("quiet").length > 0, 90_000, 200);
  await outboxEmptied();
  expect(titlesFor("quiet")).toEqual(["[CRITICAL] quiet: not reporting"]);
}, 180_000);

test("a flapping host: firing, resolved, firing, then one flapping notice and no storm", async () => {
  const state = async (): Promise<string | undefined> => {
    const [row] = await pipeline.sql<{ state: string }[]>`
      SELECT state FROM alerts WHERE key = 'host_down|flappy|not reporting'`;
    return row?.state;
  };
  for (let seq = 0; seq < 6; seq++) {
    await publishEnvelopes(pipeline.js, [systemEnvelope("flappy", seq, Date.now())]);
    if (seq > 0) await waitFor(`back ${seq}`, async () => (await state()) !== "firing", 90_000, 100);
    await waitFor(`silent ${seq}`, async () => (await state()) === "firing", 90_000, 100);
  }
  await outboxEmptied();
  expect(titlesFor("flappy")).toEqual([
    "[CRITICAL] flappy: not reporting",
    "[RESOLVED CRITICAL] flappy: not reporting",
    "[CRITICAL] flappy: not reporting",
    "[FLAPPING CRITICAL] flappy: not reporting",
  ]);
}, 240_000);
