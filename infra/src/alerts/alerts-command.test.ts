import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { seedAlert } from "@infrastructor/collector/alerts/testing/seed-alerts.ts";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { printableLine } from "@infrastructor/shared/printable.ts";
import { runMigrations } from "../../../sql/src/migrate.ts";
import { main } from "../main.ts";

/** `infra alerts list|ack|mute|unmute` in process against a real PostgreSQL. */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let handles: ReturnType<typeof connectDatabase>;
const keys = { firing: "", pending: "" };

beforeAll(async () => {
  pg = await startTestPostgres();
  handles = connectDatabase(pg.url, 2, () => undefined);
  const migrated = await runMigrations(handles.sql, { flavor: "postgres" });
  if (migrated.error) throw migrated.error;
  keys.pending = await seedAlert(handles.sql, {
    rule: "disk_full",
    device: "alpha",
    subject: "disk / #% full",
    state: "pending",
  });
  keys.firing = await seedAlert(handles.sql, {
    rule: "host_down",
    device: "beta",
    subject: "not reporting",
    severity: "critical",
  });
}, 120_000);

afterAll(async () => {
  await handles?.close();
  await pg?.destroy();
});

async function infra(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ["alerts", ...argv],
    { DATABASE_URL: pg.url, USER: "carol" },
    { out: (t) => out.push(t), err: (t) => err.push(t), progress: { isTTY: false, write: () => {} } },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("infra alerts", () => {
  test("list: a table, firing first, then the recent events; filters by state and device", async () => {
    const r = await infra("list");
    expect(r.code).toBe(0);
    const rows = r.out.split("\n");
    expect(rows[0]).toMatch(/^state\s+severity\s+device/);
    expect(rows[2]).toContain(keys.firing);
    expect(rows[3]).toContain(keys.pending);
    expect(r.out).toContain("recent events (newest first):");
    const pending = await infra("list", "--state", "pending", "--device", "alpha");
    expect(pending.out).toContain(keys.pending);
    expect(pending.out).not.toContain(keys.firing);
    expect((await infra("list", "--state", "burning")).code).toBe(2);
  });

  test("ack: the login name is the actor; a pending alert is NOT_FOUND (exit 1)", async () => {
    const r = await infra("ack", keys.firing);
    expect(r.err).toBe("");
    expect(r.out).toStartWith(`acknowledged ${keys.firing} by carol`);
    const [row] = await handles.sql<
      { acked_by: string }[]
    >`SELECT acked_by FROM alerts WHERE key = ${keys.firing}`;
    expect(row?.acked_by).toBe("carol");
    const pending = await infra("ack", keys.pending, "--by", "dave");
    expect(pending.code).toBe(1);
    expect(pending.err).toStartWith("NOT_FOUND:");
    expect((await infra("ack")).code).toBe(2);
  });

  test("mute then unmute; a mute naming nothing, without --for or --reason is refused", async () => {
    const r = await infra("mute", "--device", "alpha", "--for", "2h", "--reason", "maintenance");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`muted: ${keys.pending}`);
    const id = /^mute (\d+) until/.exec(r.out)?.[1];
    expect(id).toBeDefined();
    const [mute] = await handles.sql<
      { created_by: string }[]
    >`SELECT created_by FROM alert_mutes WHERE id = ${Number(id)}`;
    expect(mute?.created_by).toBe("carol");
    expect(await infra("unmute", id as string)).toMatchObject({ code: 0, out: `mute ${id} ended` });
    expect((await infra("unmute", id as string)).code).toBe(1);
    expect((await infra("mute", "--for", "2h", "--reason", "x")).err).toStartWith("INVALID_ARGUMENT:");
    expect((await infra("mute", "--device", "alpha", "--reason", "x")).code).toBe(2);
    expect((await infra("mute", "--device", "alpha", "--for", "1h")).code).toBe(2);
    expect((await infra("frobnicate")).code).toBe(2);
  });

  test("list: what a host reported cannot drive the terminal (escape sequences, line breaks, text-direction overrides)", async () => {
    // A row as a compromised host could shape it: the mount path names the alert and its text.
    const hostile = "disk /mnt/\u001b]0;owned\u0007\u001b[2J\nfake row\u202e #% full";
    await seedAlert(handles.sql, { rule: "disk_full", device: "gamma", subject: hostile });
    const r = await infra("list", "--device", "gamma");
    expect(r.code).toBe(0);
    expect(r.out).toContain("disk /mnt/ ]0;owned [2J fake row  #% full");
    expect(r.out.replace(/\n/g, "")).toBe(printableLine(r.out.replace(/\n/g, "")));
    expect(r.out.split("\n").filter((line) => line.includes("fake row"))).toHaveLength(2);
  });

  test("list: a failing alert channel heads the answer", async () => {
    await handles.sql`INSERT INTO alert_channel_health (channel, failing_since, failures, last_error, reported_at)
      VALUES ('phone', now() - interval '20 minutes', 14, 'ntfy answered 503', now())`;
    try {
      const r = await infra("list");
      expect(r.out.split("\n")[0]).toStartWith("ALERT CHANNELS FAILING: phone (since ");
    } finally {
      await handles.sql`DELETE FROM alert_channel_health`;
    }
    expect((await infra("list")).out).not.toContain("ALERT CHANNELS FAILING");
  });
});
