import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { connectDatabase, type DbHandles } from "@infrastructor/lib/db/connect.ts";
import { migratedDatabase, type TestDatabase } from "@infrastructor/lib/testing/databases.ts";
import {
  startTestNatsOperator,
  startTestPostgres,
  type TestNatsOperator,
} from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { AppError } from "@infrastructor/shared/errors.ts";
import { COLLECTOR_INBOX_PREFIX, hostInboxPrefix } from "@infrastructor/shared/subjects.ts";
import { connect, credsAuthenticator, Events, type NatsConnection } from "nats";
import { ensureStream } from "../ingest/jetstream.ts";
import { HostCredentials } from "./host-credentials.ts";
import { loadNatsAuth } from "./load-nats-auth.ts";

/**
 * Per-host credentials against a real nats-server in operator mode and a real PostgreSQL: what a host's
 * key lets it do, what it does not, and revocation of a connected host.
 */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let nats: TestNatsOperator;
let database: TestDatabase;
let handles: DbHandles;
let credentials: HostCredentials;
let collector: NatsConnection;
const open: NatsConnection[] = [];
const encoder = new TextEncoder();

beforeAll(async () => {
  [pg, nats] = await Promise.all([startTestPostgres(), startTestNatsOperator()]);
  database = await migratedDatabase(pg);
  handles = connectDatabase(database.url, 2);
  credentials = new HostCredentials({
    db: handles.db,
    auth: await loadNatsAuth(nats.authDir),
    natsUrl: nats.url,
  });
  collector = await connect({
    servers: nats.url,
    authenticator: credsAuthenticator(await readFile(nats.collectorCreds)),
    inboxPrefix: COLLECTOR_INBOX_PREFIX,
  });
  await ensureStream(await collector.jetstreamManager(), {
    name: "INFRA",
    consumer: "collector",
    maxAgeMs: 3_600_000,
    maxBytes: 1024 ** 2,
    duplicateWindowMs: 120_000,
    ackWaitMs: 30_000,
  });
}, 120_000);

afterAll(async () => {
  for (const nc of open) if (!nc.isClosed()) await nc.close();
  await collector?.close();
  await handles?.close();
  await database?.sql.end();
  await Promise.all([pg?.destroy(), nats?.destroy()]);
}, 60_000);

async function connectAs(host: string, creds: string): Promise<NatsConnection> {
  const nc = await connect({
    servers: nats.url,
    authenticator: credsAuthenticator(encoder.encode(creds)),
    inboxPrefix: hostInboxPrefix(host),
    maxReconnectAttempts: 0,
  });
  open.push(nc);
  return nc;
}

async function refusedWith(creds: string): Promise<string> {
  try {
    const nc = await connectAs("x", creds);
    await nc.close();
    return "connected";
  } catch (err) {
    return String(err);
  }
}

/** Messages the stream holds per subject. */
async function streamSubjects(): Promise<Record<string, number>> {
  const jsm = await collector.jetstreamManager();
  const info = await jsm.streams.info("INFRA", { subjects_filter: ">" });
  return info.state.subjects ?? {};
}

describe("a host's credentials", () => {
  test("publish its own subjects with a JetStream ack; nobody else's", async () => {
    const a = await credentials.issueHostCredentials("host-a");
    expect(a.user_public_key).toMatch(/^U[A-Z2-7]{55}$/);
    expect(a.creds).toContain("BEGIN NATS USER JWT");
    const nc = await connectAs("host-a", a.creds);
    const js = nc.jetstream();

    const ack = await js.publish("infra.v1.host-a.system", encoder.encode("{}"), { msgID: "a-1" });
    expect(ack.stream).toBe("INFRA");

    // As host B: the server refuses the publish; it never reaches the stream.
    const spoof = await js
      .publish("infra.v1.host-b.system", encoder.encode("{}"), { timeout: 2_000 })
      .then(() => "accepted")
      .catch((err: unknown) => String(err));
    expect(spoof).toContain("Permissions Violation for Publish");
    const subjects = await streamSubjects();
    expect(subjects["infra.v1.host-a.system"]).toBe(1);
    expect(subjects["infra.v1.host-b.system"]).toBeUndefined();
  });

  test("cannot snoop: no subscription to others' telemetry or inboxes, no JetStream API", async () => {
    const a = await credentials.issueHostCredentials("host-snoop");
    const nc = await connectAs("host-snoop", a.creds);
    const errors: string[] = [];
    (async () => {
      for await (const s of nc.status()) if (s.type === Events.Error) errors.push(String(s.data));
    })();
    nc.subscribe("infra.v1.>");
    nc.subscribe(`${COLLECTOR_INBOX_PREFIX}.>`);
    await nc.flush();
    await waitFor("two subscription violations", () => errors.length >= 2, 5_000);
    expect(errors.join(" ")).toContain("PERMISSIONS_VIOLATION");

    const api = await nc
      .request("$JS.API.STREAM.INFO.INFRA", undefined, { timeout: 2_000 })
      .then(() => "answered")
      .catch((err: unknown) => String(err));
    expect(api).toContain("Permissions Violation for Publish");
  });

  test("revoking closes the host's open connection and refuses a new one", async () => {
    const c = await credentials.issueHostCredentials("host-c");
    const nc = await connectAs("host-c", c.creds);
    await nc.jetstream().publish("infra.v1.host-c.system", encoder.encode("{}"));
    const closed = nc.closed();

    const { revoked } = await credentials.revokeHost("host-c");
    expect(revoked).toEqual([c.user_public_key]);
    await closed; // the server cut it (maxReconnectAttempts 0: nats.js does not come back)
    expect(nc.isClosed()).toBe(true);
    expect(await refusedWith(c.creds)).toContain("Authorization Violation");

    // Another host is untouched.
    const d = await credentials.issueHostCredentials("host-d");
    const other = await connectAs("host-d", d.creds);
    expect(
      (await other.jetstream().publish("infra.v1.host-d.system", encoder.encode("{}"))).seq,
    ).toBeGreaterThan(0);
  });

  test("issuing again replaces the host's key: the old one is revoked", async () => {
    const first = await credentials.issueHostCredentials("host-e");
    const second = await credentials.issueHostCredentials("host-e");
    expect(second.user_public_key).not.toBe(first.user_public_key);
    expect(await refusedWith(first.creds)).toContain("Authorization Violation");
    expect(await refusedWith(second.creds)).toBe("connected");
    const rows = (await credentials.listHostCredentials()).filter((r) => r.hostname === "host-e");
    expect(rows.map((r) => [r.user_public_key, r.revoked_at === null])).toEqual([
      [first.user_public_key, false],
      [second.user_public_key, true],
    ]);
  });

  test("a revocation is pushed again from the database to a server that lost it", async () => {
    const f = await credentials.issueHostCredentials("host-f");
    await credentials.revokeHost("host-f");
    await nats.restart({ forgetPushed: true }); // the preload alone: no revocation
    expect(await refusedWith(f.creds)).toBe("connected");
    expect((await credentials.pushRevocations()).revoked).toBeGreaterThanOrEqual(1);
    expect(await refusedWith(f.creds)).toContain("Authorization Violation");
  });

  test("a revocation made while NATS is down is kept in the database and pushed later", async () => {
    const g = await credentials.issueHostCredentials("host-g");
    await nats.stop();
    const err = await credentials.revokeHost("host-g").catch((e: unknown) => e);
    expect((err as AppError).code).toBe("NATS_UNAVAILABLE");
    expect((err as AppError).message).toContain("revoked in the database");
    await nats.start();
    const row = (await credentials.listHostCredentials()).find((r) => r.hostname === "host-g");
    expect(row?.revoked_at).toBeInstanceOf(Date);
    expect(await refusedWith(g.creds)).toBe("connected"); // the server was never told
    expect((await credentials.revokeHost("host-g")).revoked).toEqual([]); // again: pushes what is recorded
    expect(await refusedWith(g.creds)).toContain("Authorization Violation");
  });

  test("bad host names and unknown hosts are refused with their codes", async () => {
    for (const name of ["Host-A", "a.b", "", "a b", "-x", "x".repeat(64), "a>"]) {
      const err = await credentials.issueHostCredentials(name).catch((e: unknown) => e);
      expect([name, (err as AppError).code]).toEqual([name, "INVALID_ARGUMENT"]);
    }
    const err = await credentials.revokeHost("never-enrolled").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("NOT_FOUND");
  });
});
