import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type CollectorProcess,
  spawnCollector,
  TEST_API_TOKEN,
} from "@infrastructor/lib/testing/collector-process.ts";
import { enrollOver, mintToken } from "@infrastructor/lib/testing/enroll-client.ts";
import { systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import {
  startTestNatsOperator,
  startTestPostgres,
  type TestNatsOperator,
} from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { hostInboxPrefix } from "@infrastructor/shared/subjects.ts";
import { connect, credsAuthenticator, type NatsConnection } from "nats";
import postgres, { type Sql } from "postgres";
import { main as cli } from "../src/cli.ts";

/**
 * Issue 12 item 6: a spare enrollment token once took over an enrolled host's identity (re-enrolling
 * silently revoked the real host's key). On the real collector, nats-server in JWT mode and PostgreSQL:
 * the takeover is refused and the real host keeps publishing; an explicit replace with a token allowed
 * for the host replaces and is recorded; /api/enroll is rate-limited per client address and overall.
 */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: TestNatsOperator;
let collector: CollectorProcess;
let sql: Sql;
let env: Record<string, string>;
let base: string;
let victimCreds: string;
let seq = 0;
const open: NatsConnection[] = [];

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNatsOperator()]);
  env = {
    DATABASE_URL: pg.url,
    NATS_URL: nats.url,
    NATS_CREDS: nats.collectorCreds,
    NATS_AUTH_DIR: nats.authDir,
    ENROLL_RATE_LIMIT_PER_CLIENT: "100000",
    ENROLL_RATE_LIMIT_GLOBAL: "100000",
    MCP_HTTP: "off",
    LOG_LEVEL: "info",
  };
  collector = await spawnCollector(env);
  base = `http://127.0.0.1:${collector.port}`;
  sql = postgres(pg.url, { max: 2, onnotice: () => {} });
  const first = await enrollOver(base, await mintToken(base, { host: "victim" }), "victim");
  expect(first.status).toBe(200);
  victimCreds = first.body.creds ?? "";
}, 120_000);

afterAll(async () => {
  for (const nc of open) if (!nc.isClosed()) await nc.close();
  await collector?.stop();
  await sql?.end();
  await Promise.all([pg?.destroy(), nats?.destroy()]);
}, 60_000);

const samples = async (host: string): Promise<number> => {
  const [row] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id
    WHERE d.hostname = ${host}`;
  return row?.n ?? 0;
};

/** Connects with `creds` and publishes one envelope as `host`; resolves once it is stored. */
async function publishesAs(host: string, creds: string): Promise<string> {
  try {
    const nc = await connect({
      servers: nats.url,
      authenticator: credsAuthenticator(new TextEncoder().encode(creds)),
      inboxPrefix: hostInboxPrefix(host),
      maxReconnectAttempts: 0,
    });
    open.push(nc);
    const before = await samples(host);
    seq += 1;
    await publishEnvelopes(nc.jetstream(), [systemEnvelope(host, seq, Date.now(), "takeover")]);
    await waitFor(`${host}'s sample ${seq}`, async () => (await samples(host)) === before + 1, 60_000);
    await nc.close();
    return "stored";
  } catch (err) {
    return String(err);
  }
}

async function tokenUses(note: string): Promise<number | undefined> {
  const [row] = await sql<{ uses: number }[]>`SELECT uses FROM enrollment_tokens WHERE note = ${note}`;
  return row?.uses;
}

async function liveKeys(host: string): Promise<string[]> {
  const rows = await sql<{ user_public_key: string }[]>`
    SELECT user_public_key FROM nats_credentials WHERE hostname = ${host} AND revoked_at IS NULL`;
  return rows.map((r) => r.user_public_key);
}

async function events(host: string): Promise<{ outcome: string; code: string | null; token_id: number }[]> {
  const res = await fetch(`${base}/api/enroll-events?host=${host}`, {
    headers: { Authorization: `Bearer ${TEST_API_TOKEN}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: { outcome: string; code: string | null; token_id: number }[] })
    .events;
}

describe("taking over an enrolled host", () => {
  test("a spare token is refused, keeps its use, and the real host's credentials still publish", async () => {
    expect(await publishesAs("victim", victimCreds)).toBe("stored");
    const keys = await liveKeys("victim");
    expect(keys.length).toBe(1);

    // A spare any-host token and a spare token for this very host: without replace, both refused.
    const spare = await mintToken(base, "any-host", { max_uses: 5, note: "spare-any" });
    const sameHost = await mintToken(base, { host: "victim" }, { note: "spare-victim" });
    for (const token of [spare, sameHost]) {
      const refused = await enrollOver(base, token, "victim");
      expect([refused.status, refused.body.error?.code]).toEqual([409, "ENROLL_HOST_EXISTS"]);
      expect(refused.body.error?.message).toContain("replace");
    }
    expect([await tokenUses("spare-any"), await tokenUses("spare-victim")]).toEqual([0, 0]);
    expect(await liveKeys("victim")).toEqual(keys);
    expect(await publishesAs("victim", victimCreds)).toBe("stored");
    const refusals = (await events("victim")).filter((e) => e.outcome === "refused");
    expect(refusals.map((e) => e.code)).toEqual(["ENROLL_HOST_EXISTS", "ENROLL_HOST_EXISTS"]);
    expect(collector.output()).toContain("enrollment refused");
  }, 120_000);

  test("a token for another host cannot replace, and its refusal tells nothing about who is enrolled", async () => {
    const other = await mintToken(base, { host: "web-9" }, { max_uses: 3, note: "web-9" });
    const onVictim = await enrollOver(base, other, "victim", { replace: true });
    const onNobody = await enrollOver(base, other, "nobody", { replace: true });
    // The same answer whether or not the host name exists; neither names the token's own host.
    expect([onVictim.status, onVictim.body.error?.code]).toEqual([403, "ENROLL_TOKEN_WRONG_HOST"]);
    expect([onNobody.status, onNobody.body.error?.code]).toEqual([403, "ENROLL_TOKEN_WRONG_HOST"]);
    expect(onVictim.body.error?.message.replaceAll("victim", "X")).toBe(
      onNobody.body.error?.message.replaceAll("nobody", "X"),
    );
    expect(JSON.stringify([onVictim.body, onNobody.body])).not.toContain("web-9");
    // A used-up token does not say who used it either.
    const once = await mintToken(base, "any-host", { note: "once" });
    expect((await enrollOver(base, once, "fresh-1")).status).toBe(200);
    const used = await enrollOver(base, once, "fresh-2");
    expect([used.status, used.body.error?.code]).toEqual([409, "ENROLL_TOKEN_USED"]);
    expect(JSON.stringify(used.body)).not.toContain("fresh-1");
    expect(await tokenUses("web-9")).toBe(0);
    expect(await publishesAs("victim", victimCreds)).toBe("stored");
  }, 120_000);

  test("two enrollments of one new name at once: one wins, the other is refused and keeps its use", async () => {
    const tokens = await Promise.all(
      ["twin-a", "twin-b", "twin-c", "twin-d"].map((note) => mintToken(base, { host: "twin" }, { note })),
    );
    const answers = await Promise.all(tokens.map((t) => enrollOver(base, t, "twin")));
    const statuses = answers.map((a) => [a.status, a.body.error?.code ?? "ok"]);
    expect(statuses.filter(([s]) => s === 200).length).toBe(1);
    expect(statuses.filter(([s]) => s !== 200)).toEqual([
      [409, "ENROLL_HOST_EXISTS"],
      [409, "ENROLL_HOST_EXISTS"],
      [409, "ENROLL_HOST_EXISTS"],
    ]);
    expect((await liveKeys("twin")).length).toBe(1);
    const uses = await Promise.all(["twin-a", "twin-b", "twin-c", "twin-d"].map(tokenUses));
    expect(uses.sort()).toEqual([0, 0, 0, 1]);
    const winner = answers.find((a) => a.status === 200);
    expect(await publishesAs("twin", winner?.body.creds ?? "")).toBe("stored");
  }, 120_000);

  test("with replace and a token allowed for the host, the host is replaced and it is recorded", async () => {
    const keys = await liveKeys("victim");
    const token = await mintToken(base, { host: "victim" }, { note: "replace-victim" });
    const replaced = await enrollOver(base, token, "victim", { replace: true });
    expect([replaced.status, replaced.body.outcome]).toEqual([200, "replaced"]);
    expect(await tokenUses("replace-victim")).toBe(1);
    const now = await liveKeys("victim");
    expect(now.length).toBe(1);
    expect(now).not.toEqual(keys);
    // The old key is revoked on the server; the new one publishes.
    expect(await publishesAs("victim", victimCreds)).toContain("Authorization Violation");
    expect(await publishesAs("victim", replaced.body.creds ?? "")).toBe("stored");

    expect((await events("victim"))[0]).toMatchObject({ outcome: "replaced", code: null });
    await waitFor("the re-enrollment's log line", () =>
      collector.output().includes("host re-enrolled: its earlier credentials are revoked"),
    );
    const out: string[] = [];
    expect(
      await cli(
        ["enroll-token", "events", "--host", "victim"],
        env,
        (l) => out.push(l),
        () => {},
      ),
    ).toBe(0);
    expect(out[0]).toMatch(/ {2}victim {2}replaced {2}token \d+ {2}from 127\.0\.0\.1 {2}replace asked$/);
    expect(out.join("\n")).toContain("refused  ENROLL_HOST_EXISTS");
  }, 120_000);
});

/** POST /api/enroll from a chosen loopback address (curl --interface): a client of its own. */
async function enrollFrom(
  url: string,
  address: string,
): Promise<{ status: number; retryAfter: string | null; code: string | undefined }> {
  const proc = Bun.spawn(
    [
      "curl",
      "-s",
      "-i",
      "--interface",
      address,
      "-H",
      "Content-Type: application/json",
      "--data-binary",
      JSON.stringify({ token: `ie_${"A".repeat(43)}`, hostname: "probe", arch: "x64", os: "debian" }),
      `${url}/api/enroll`,
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const text = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error(`curl from ${address} failed: ${text}`);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(text)?.[1]);
  const retryAfter = /^retry-after: *(\d+)/im.exec(text)?.[1] ?? null;
  const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
  return { status, retryAfter, code };
}

describe("POST /api/enroll rate limits", () => {
  test("per client address and overall: 429 RATE_LIMITED with Retry-After", async () => {
    // Its own collector with tiny limits (per minute: 2 per client, 4 overall) on the same servers.
    const limited = await spawnCollector({
      ...env,
      ENROLL_RATE_LIMIT_PER_CLIENT: "2",
      ENROLL_RATE_LIMIT_GLOBAL: "4",
    });
    try {
      const url = `http://127.0.0.1:${limited.port}`;
      const a = [await enrollFrom(url, "127.0.0.2"), await enrollFrom(url, "127.0.0.2")];
      expect(a.map((r) => r.code)).toEqual(["ENROLL_TOKEN_INVALID", "ENROLL_TOKEN_INVALID"]);
      const third = await enrollFrom(url, "127.0.0.2");
      expect([third.status, third.code]).toEqual([429, "RATE_LIMITED"]);
      expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
      // Another client still gets through, until the overall limit is spent.
      const b = [await enrollFrom(url, "127.0.0.3"), await enrollFrom(url, "127.0.0.3")];
      expect(b.map((r) => r.code)).toEqual(["ENROLL_TOKEN_INVALID", "ENROLL_TOKEN_INVALID"]);
      const overall = await enrollFrom(url, "127.0.0.4");
      expect([overall.status, overall.code]).toEqual([429, "RATE_LIMITED"]);
      expect(Number(overall.retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.stop();
    }
  }, 120_000);
});
