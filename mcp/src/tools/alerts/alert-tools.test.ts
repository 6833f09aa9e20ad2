import { afterAll, beforeAll, expect, test } from "bun:test";
import { seedAlert } from "@infrastructor/collector/alerts/testing/seed-alerts.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import {
  type CallToolResult,
  ElicitRequestSchema,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

let harness: McpHarness;
let plain: McpSession;
const keys = { pending: "", warn: "", crit: "", resolved: "", other: "" };

/** A session whose client supports form elicitation and answers every request with `answer`. */
async function eliciting(
  answer: "accept" | "decline" | "untick" | "fail",
  asked: string[] = [],
): Promise<McpSession> {
  return await harness.connect({
    capabilities: { elicitation: { form: {} } },
    setup: (client) =>
      client.setRequestHandler(ElicitRequestSchema, (request) => {
        asked.push(request.params.message);
        if (answer === "decline") return { action: "decline" };
        if (answer === "fail") throw new Error("the form could not be shown");
        return { action: "accept", content: { confirm: answer === "accept" } };
      }),
  });
}

const errorCode = (r: CallToolResult): string | undefined =>
  (r.structuredContent as { error?: { code: string } } | undefined)?.error?.code;

async function ackedAt(key: string): Promise<Date | null> {
  const [row] = await harness.servers.sql<
    { acked_at: Date | null }[]
  >`SELECT acked_at FROM alerts WHERE key = ${key}`;
  return row?.acked_at ?? null;
}

beforeAll(async () => {
  harness = await startMcpHarness();
  const sql = harness.servers.sql;
  const old = new Date(Date.now() - 7_200_000);
  keys.pending = await seedAlert(sql, {
    rule: "disk_full",
    device: "alpha",
    subject: "disk / #% full",
    state: "pending",
  });
  keys.warn = await seedAlert(sql, { rule: "mem_high", device: "alpha", subject: "memory #%", since: old });
  keys.crit = await seedAlert(sql, {
    rule: "host_down",
    device: "beta",
    subject: "not reporting",
    severity: "critical",
  });
  keys.resolved = await seedAlert(sql, {
    rule: "cpu_high",
    device: "beta",
    subject: "cpu #%",
    state: "resolved",
  });
  keys.other = await seedAlert(sql, { rule: "host_down", device: "gamma", subject: "not reporting" });
  plain = await harness.connect();
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

test("list_alerts: firing first (critical before warning), then pending, then resolved; history newest first", async () => {
  const r = await plain.call("list_alerts");
  expect(r.isError).toBeFalsy();
  const s = r.structuredContent as {
    alerts: { key: string }[];
    history: { key: string; kind: string }[];
    summary: { firing: number };
    provenance: { source: string };
  };
  expect(s.alerts.map((a) => a.key)).toEqual([keys.crit, keys.warn, keys.other, keys.pending, keys.resolved]);
  expect(s.summary.firing).toBe(3);
  expect(s.provenance.source).toBe("stored");
  expect(s.history.map((e) => e.key)).not.toContain(keys.pending);
  expect(s.history.at(-1)?.key).toBe(keys.warn);
  const byDevice = (await plain.call("list_alerts", { device: "beta", state: "firing" }))
    .structuredContent as {
    alerts: { key: string }[];
    history: { key: string }[];
  };
  expect(byDevice.alerts.map((a) => a.key)).toEqual([keys.crit]);
  expect(new Set(byDevice.history.map((e) => e.key))).toEqual(new Set([keys.crit, keys.resolved]));
  const recent = (await plain.call("list_alerts", { since: "1h" })).structuredContent as {
    history: { key: string }[];
  };
  expect(recent.history.map((e) => e.key)).not.toContain(keys.warn);
});

test("the alert actions are announced as not read-only and not destructive", async () => {
  const { tools } = await plain.client.listTools();
  for (const name of ["acknowledge_alert", "mute_alerts", "unmute_alerts"]) {
    const t = tools.find((x) => x.name === name);
    expect(t?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  }
  expect(tools.find((x) => x.name === "list_alerts")?.annotations?.readOnlyHint).toBe(true);
});

test("a client without elicitation is refused with CONFIRMATION_REQUIRED, and nothing is acknowledged or muted", async () => {
  const ack = await plain.call("acknowledge_alert", { key: keys.crit });
  expect(ack.isError).toBe(true);
  expect(errorCode(ack)).toBe("CONFIRMATION_REQUIRED");
  expect(await ackedAt(keys.crit)).toBeNull();
  const mute = await plain.call("mute_alerts", { device: "beta", for: "1h", reason: "maintenance" });
  expect(errorCode(mute)).toBe("CONFIRMATION_REQUIRED");
  const [n] = await harness.servers.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM alert_mutes`;
  expect(n?.n).toBe(0);
});

test("a user who declines (or leaves the box unticked, or whose client fails the form) acknowledges nothing", async () => {
  for (const answer of ["decline", "untick", "fail"] as const) {
    const asked: string[] = [];
    const session = await eliciting(answer, asked);
    const r = await session.call("acknowledge_alert", { key: keys.crit });
    expect(errorCode(r)).toBe("CONFIRMATION_DECLINED");
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(keys.crit);
  }
  expect(await ackedAt(keys.crit)).toBeNull();
});

test("a user who confirms acknowledges the alert, and the history records who", async () => {
  const session = await eliciting("accept");
  const r = await session.call("acknowledge_alert", { key: keys.crit, by: "alice" });
  expect(r.isError).toBeFalsy();
  expect((r.structuredContent as { acked_by: string }).acked_by).toBe("alice");
  expect(await ackedAt(keys.crit)).not.toBeNull();
  const [event] = await harness.servers.sql<{ actor: string }[]>`
    SELECT actor FROM alert_events WHERE alert_key = ${keys.crit} AND kind = 'acknowledged'`;
  expect(event?.actor).toBe("alice");
  // Only a firing alert can be acknowledged.
  const pending = await session.call("acknowledge_alert", { key: keys.pending });
  expect(errorCode(pending)).toBe("NOT_FOUND");
});

test("mute_alerts after confirmation mutes the device's alerts; unmute_alerts ends it once", async () => {
  const session = await eliciting("accept");
  const r = await session.call("mute_alerts", { device: "alpha", for: "2h", reason: "planned maintenance" });
  expect(r.isError).toBeFalsy();
  const s = r.structuredContent as { id: number; muted: string[] };
  expect(s.muted.sort()).toEqual([keys.pending, keys.warn].sort());
  const nothing = await session.call("mute_alerts", { for: "2h", reason: "x" });
  expect(errorCode(nothing)).toBe("INVALID_ARGUMENT");
  expect(
    ((await plain.call("unmute_alerts", { id: s.id })).structuredContent as { ended: boolean }).ended,
  ).toBe(true);
  expect(errorCode(await plain.call("unmute_alerts", { id: s.id }))).toBe("NOT_FOUND");
});

test("infra://alerts lists the active alerts, and a subscriber hears when they change", async () => {
  const updates: string[] = [];
  const session = await harness.connect({
    alertsPollMs: 100,
    setup: (client) =>
      client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
        updates.push(n.params.uri);
      }),
  });
  const read = await session.client.readResource({ uri: "infra://alerts" });
  const first = read.contents[0];
  const body = JSON.parse(first && "text" in first ? first.text : "{}") as { alerts: { key: string }[] };
  expect(body.alerts[0]?.key).toBe(keys.crit);
  await session.client.subscribeResource({ uri: "infra://alerts" });
  await Bun.sleep(300);
  expect(updates).toEqual([]);
  await seedAlert(harness.servers.sql, { rule: "disk_full", device: "gamma", subject: "disk /srv #% full" });
  await waitFor("resources/updated", async () => (updates.length > 0 ? true : undefined));
  expect(updates[0]).toBe("infra://alerts");
  await session.client.unsubscribeResource({ uri: "infra://alerts" });
});

test("any key list_alerts shows can be acknowledged: quotes and $ in a mount path, the fleet-wide alert; hidden characters are refused", async () => {
  const sql = harness.servers.sql;
  const quoted = await seedAlert(sql, {
    rule: "disk_full",
    device: "delta",
    subject: `disk /mnt/bob's "media" $HOME;x|y #% full`,
  });
  const fleet = await seedAlert(sql, { rule: "fleet_silent", device: "(fleet)", subject: "" });
  const session = await eliciting("accept");
  for (const key of [quoted, fleet]) {
    const r = await session.call("acknowledge_alert", { key });
    expect(r.isError).toBeFalsy();
    expect(await ackedAt(key)).not.toBeNull();
  }
  for (const key of [
    "disk_full|delta|disk /mnt/\u001b[2J #% full",
    "disk_full|delta|invoice\u202egpj.exe",
    "disk_full|delta|two\nlines",
    "-rf|delta|x",
    "disk_full|de lta|x",
  ]) {
    expect(errorCode(await session.call("acknowledge_alert", { key }))).toBe("INVALID_ARGUMENT");
  }
});

test("a failing alert channel is named by list_alerts, infra://alerts and the health check; one not yet reported or healthy is not", async () => {
  const sql = harness.servers.sql;
  // As the outbox sender leaves them (channel-health.ts): reported once past its threshold.
  await sql`INSERT INTO alert_channel_health (channel, failing_since, failures, last_error, last_fail_at, reported_at)
    VALUES ('phone', now() - interval '20 minutes', 14, 'ntfy answered 503', now(), now() - interval '15 minutes'),
           ('mail', now() - interval '1 minute', 1, 'connection refused', now(), NULL),
           ('chat', NULL, 0, NULL, NULL, NULL)`;
  try {
    const list = await plain.call("list_alerts");
    const s = list.structuredContent as { channels_failing: { channel: string; last_error: string }[] };
    expect(s.channels_failing.map((c) => [c.channel, c.last_error])).toEqual([
      ["phone", "ntfy answered 503"],
    ]);
    const text = list.content.map((c) => ("text" in c ? c.text : "")).join("\n");
    expect(text).toContain("ALERT CHANNELS FAILING: phone (since ");
    expect(text).not.toContain("mail (since");

    const read = await plain.client.readResource({ uri: "infra://alerts" });
    const first = read.contents[0];
    const body = JSON.parse(first && "text" in first ? first.text : "{}") as {
      channels_failing: { channel: string }[];
    };
    expect(body.channels_failing.map((c) => c.channel)).toEqual(["phone"]);

    const health = await plain.call("analyze_infrastructure_health");
    expect(health.isError).toBeFalsy();
    const summary = (health.structuredContent as { summary: { alert_channels_failing: string[] } }).summary;
    expect(summary.alert_channels_failing).toEqual(["phone"]);
    expect(health.content.map((c) => ("text" in c ? c.text : "")).join("\n")).toContain(
      "ALERT CHANNELS FAILING: phone",
    );
  } finally {
    await sql`DELETE FROM alert_channel_health`;
  }
});
