import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { hookAlertsEnv } from "@infrastructor/lib/testing/hook-alerts.ts";
import { type HttpReceiver, startHttpReceiver } from "@infrastructor/lib/testing/http-receiver.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";

/**
 * Alerts through the real pipeline: an agent's envelopes through NATS into the collector process,
 * the collector's alert engine judging the stored data with the health check's rules, and a real
 * HTTP receiver behind the webhook channel. Short periods so the test runs in seconds.
 */
let dir: string;
let receiver: HttpReceiver;
let alertsEnv: Record<string, string>;
let pipeline: Pipeline;
const HOST = "alert-host";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "alerts-pipeline-"));
  receiver = startHttpReceiver();
  alertsEnv = await hookAlertsEnv(dir, receiver, [
    "for: 2s",
    "clear_for: 1s",
    "evaluate_every: 1s",
    // Hosts a dead switch silences one by one over a few seconds are still one message.
    "group_wait: 8s",
  ]);
  pipeline = await startPipeline({
    ...alertsEnv,
    // A host is silent after 5 s without a system sample (the default is 3 x 15 s).
    MCP_STALE_AFTER: "system=5s",
  });
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
  await receiver?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

const posts = (kind: string): { title: string; kind: string }[] =>
  receiver.requests.map((r) => JSON.parse(r.body)).filter((b) => b.kind === kind);

test("a host goes silent: after the pending period one notification; it returns: one resolved", async () => {
  await publishEnvelopes(pipeline.js, [systemEnvelope(HOST, 0, Date.now())]);
  await waitFor(
    "the host stored",
    async () => {
      const rows = await pipeline.sql`SELECT 1 FROM devices WHERE hostname = ${HOST}`;
      return rows.length === 1;
    },
    60_000,
  );

  // Silent from now on: stale after 5 s, firing 2 s later.
  await waitFor("the firing notification", async () => posts("firing").length > 0, 90_000, 200);
  const [firing] = posts("firing");
  expect(firing?.title).toBe(`[CRITICAL] ${HOST}: not reporting`);
  const request = receiver.requests.find((r) => JSON.parse(r.body).kind === "firing");
  expect(request?.headers.get("idempotency-key")).toStartWith(`host_down|${HOST}|`);

  const health = await pipeline.collector.health();
  expect(health.body.alerts).toMatchObject({
    channels: [{ channel: "hook", failing: false, failures: 0, last_error: null }],
    dead_man: null,
  });

  // Back: a fresh sample makes it report again; the alert resolves after the clear period.
  await publishEnvelopes(pipeline.js, [systemEnvelope(HOST, 1, Date.now())]);
  await waitFor("the resolved notification", async () => posts("resolved").length > 0, 90_000, 200);
  expect(posts("resolved")[0]?.title).toBe(`[RESOLVED CRITICAL] ${HOST}: not reporting`);
  // Between the two, evaluations ran every second: none of them notified again.
  expect(posts("firing")).toHaveLength(1);

  const [events] = await pipeline.sql<{ kinds: string[] }[]>`
    SELECT array_agg(kind ORDER BY at) AS kinds FROM alert_events WHERE alert_key LIKE ${`host_down|${HOST}|%`}`;
  expect(events?.kinds).toEqual(["firing", "resolved"]);
}, 180_000);

test("twenty hosts go silent within two seconds: one notification naming them all, none of them alone", async () => {
  const hosts = Array.from({ length: 20 }, (_, i) => `grp-${String(i).padStart(2, "0")}`);
  // Their last samples 100 ms apart, as agents polling out of step leave them: they go stale over
  // several evaluations, and fire in several; the group wait tells them together.
  const now = Date.now();
  await publishEnvelopes(
    pipeline.js,
    hosts.map((h, i) => systemEnvelope(h, 0, now - i * 100)),
  );
  const grouped = (): { title: string; hosts: string[] }[] =>
    receiver.requests
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.kind === "firing" && hosts.every((h) => b.hosts.includes(h)));
  await waitFor("the grouped notification", async () => grouped().length > 0, 90_000, 200);
  const [group] = grouped();
  expect(group?.title).toMatch(/^\[CRITICAL\] (20|21) hosts: not reporting$/);
  const alone = receiver.requests
    .map((r) => JSON.parse(r.body))
    .filter((b) => b.hosts.length === 1 && hosts.includes(b.hosts[0]));
  expect(alone).toEqual([]);
  expect(grouped()).toHaveLength(1);
}, 180_000);
