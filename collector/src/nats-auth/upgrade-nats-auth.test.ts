import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectDatabase, type DbHandles } from "@infrastructor/lib/db/connect.ts";
import { migratedDatabase, type TestDatabase } from "@infrastructor/lib/testing/databases.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { AppError } from "@infrastructor/shared/errors.ts";
import { COLLECTOR_INBOX_PREFIX, hostInboxPrefix } from "@infrastructor/shared/subjects.ts";
import { createAccount, createOperator, encodeAccount, encodeOperator } from "@nats-io/jwt";
import { connect, credsAuthenticator, type NatsConnection } from "nats";
import { freePort } from "../../../scripts/lib/free-port.ts";
import { NatsProcess } from "../../../scripts/lib/nats-process.ts";
import { ensureStream } from "../ingest/jetstream.ts";
import { natsCli } from "../nats-cli.ts";
import { systemAccountJwt } from "./account-jwt.ts";
import { AUTH_FILES, type AuthStateV1 } from "./auth-files.ts";
import { HostCredentials } from "./host-credentials.ts";
import { loadNatsAuth } from "./load-nats-auth.ts";
import { mintUser } from "./mint-user.ts";
import { collectorPermissions, INFRA_ACCOUNT_LIMITS, systemPermissions } from "./permissions.ts";
import { upgradeNatsAuth } from "./upgrade-nats-auth.ts";

/**
 * An auth directory as `nats init` wrote it before hosts had their own account (version 1: host users
 * in INFRA beside JetStream), a running server with a stream and an old host, then `nats upgrade` and
 * the collector's start-up push: the old host is locked out at once, the data stays, new hosts work.
 */
let root: string;
let dir: string;
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let database: TestDatabase;
let handles: DbHandles;
let server: NatsProcess;
let oldHostCreds: string;
let oldHostUser: { publicKey: string; issuedAt: Date };
const open: NatsConnection[] = [];
const encoder = new TextEncoder();

/** What version 1 `nats init` wrote (collector/src/nats-auth at the time), with one host issued. */
async function writeVersion1(target: string): Promise<void> {
  const [operator, operatorSigner, system, infra, infraSigner] = [
    createOperator(),
    createOperator(),
    createAccount(),
    createAccount(),
    createAccount(),
  ];
  const systemAccount = { name: "SYS", public_key: system.getPublicKey() };
  const state: AuthStateV1 = {
    version: 1,
    operator: {
      name: "infrastructor",
      public_key: operator.getPublicKey(),
      signing_key: operatorSigner.getPublicKey(),
      jwt: await encodeOperator("infrastructor", operator, {
        signing_keys: [operatorSigner.getPublicKey()],
        system_account: system.getPublicKey(),
      }),
    },
    system_account: { ...systemAccount, jwt: await systemAccountJwt(systemAccount, operatorSigner) },
    infra_account: {
      name: "INFRA",
      public_key: infra.getPublicKey(),
      signing_key: infraSigner.getPublicKey(),
    },
    resolver_dir: join(target, "resolver"),
  };
  const infraJwt = await encodeAccount(
    "INFRA",
    infra,
    { limits: { ...INFRA_ACCOUNT_LIMITS }, signing_keys: [infraSigner.getPublicKey()] },
    { signer: operatorSigner },
  );
  await mkdir(state.resolver_dir, { recursive: true });
  const seed = (kp: { getSeed(): Uint8Array }): string => `${new TextDecoder().decode(kp.getSeed())}\n`;
  const files: [string, string][] = [
    [AUTH_FILES.operatorSeed, seed(operator)],
    [AUTH_FILES.operatorSigningSeed, seed(operatorSigner)],
    [AUTH_FILES.systemAccountSeed, seed(system)],
    [AUTH_FILES.infraAccountSeed, seed(infra)],
    [AUTH_FILES.infraSigningSeed, seed(infraSigner)],
    [
      AUTH_FILES.systemCreds,
      (await mintUser("push-claims", system.getPublicKey(), system, systemPermissions())).creds,
    ],
    [
      AUTH_FILES.collectorCreds,
      (await mintUser("collector", infra.getPublicKey(), infraSigner, collectorPermissions())).creds,
    ],
    [
      AUTH_FILES.serverConfig,
      `operator: "${state.operator.jwt}"\nsystem_account: "${system.getPublicKey()}"\nresolver: { type: full, dir: "${state.resolver_dir}", allow_delete: false }\nresolver_preload: {\n  ${system.getPublicKey()}: "${state.system_account.jwt}"\n  ${infra.getPublicKey()}: "${infraJwt}"\n}\n`,
    ],
    [AUTH_FILES.state, `${JSON.stringify(state, null, 2)}\n`],
  ];
  for (const [name, text] of files) await writeFile(join(target, name), text, { mode: 0o600 });
  const host = await mintUser("old-host", infra.getPublicKey(), infraSigner, {
    pub: { allow: ["infra.v1.old-host.>"] },
    sub: { allow: [`${hostInboxPrefix("old-host")}.>`] },
    allowed_connection_types: ["STANDARD"],
  });
  oldHostCreds = host.creds;
  oldHostUser = host;
}

async function connectWith(creds: string, inboxPrefix: string): Promise<NatsConnection> {
  const nc = await connect({
    servers: server.url,
    authenticator: credsAuthenticator(encoder.encode(creds)),
    inboxPrefix,
    maxReconnectAttempts: 0,
  });
  open.push(nc);
  return nc;
}

const refusal = (creds: string, inbox: string): Promise<string> =>
  connectWith(creds, inbox).then(
    () => "connected",
    (err: unknown) => String(err),
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infra-nats-upgrade-"));
  dir = join(root, "auth");
  await mkdir(dir, { mode: 0o700 });
  await writeVersion1(dir);
  pg = await startTestPostgres();
  database = await migratedDatabase(pg);
  handles = connectDatabase(database.url, 2);
  server = new NatsProcess({
    storeDir: join(root, "store"),
    port: freePort(),
    args: ["-c", join(dir, AUTH_FILES.serverConfig)],
  });
  await server.start();
}, 120_000);

afterAll(async () => {
  for (const nc of open) if (!nc.isClosed()) await nc.close();
  await handles?.close();
  await database?.sql.end();
  await server?.stop();
  await pg?.destroy();
  await rm(root, { recursive: true, force: true });
}, 60_000);

test("a version 1 directory is upgraded: old hosts are locked out at once, the stream's data stays", async () => {
  const oldCollector = await connectWith(
    await readFile(join(dir, AUTH_FILES.collectorCreds), "utf8"),
    COLLECTOR_INBOX_PREFIX,
  );
  const settings = {
    name: "INFRA",
    consumer: "collector",
    maxAgeMs: 3_600_000,
    maxBytes: 1024 ** 2,
    duplicateWindowMs: 60_000,
    ackWaitMs: 30_000,
  };
  // The stream as an older collector made it: no deny_purge / deny_delete.
  await (await oldCollector.jetstreamManager()).streams.add({ name: "INFRA", subjects: ["infra.v1.>"] });
  const oldHost = await connectWith(oldHostCreds, hostInboxPrefix("old-host"));
  for (let i = 0; i < 3; i++)
    await oldHost.jetstream().publish("infra.v1.old-host.system", encoder.encode(`${i}`));
  await handles.db
    .insertInto("nats_credentials")
    .values({
      user_public_key: oldHostUser.publicKey,
      hostname: "old-host",
      issued_at: oldHostUser.issuedAt,
      revoked_at: null,
    })
    .execute();

  // The collector refuses the old layout and names the command.
  const refused = (await loadNatsAuth(dir).catch((e: unknown) => e)) as AppError;
  expect([refused.code, refused.message.includes("nats upgrade")]).toEqual(["CONFIG_INVALID", true]);

  const { upgraded, state } = await upgradeNatsAuth(dir);
  expect(upgraded).toBe(true);
  const files = async (): Promise<string[]> =>
    Promise.all(
      (await readdir(dir))
        .sort()
        .filter((f) => f !== "resolver")
        .map((f) => readFile(join(dir, f), "utf8")),
    );
  const after = await files();
  expect((await upgradeNatsAuth(dir)).upgraded).toBe(false); // repeating changes nothing
  expect(await files()).toEqual(after);

  // The collector's start: both accounts pushed to the running server.
  const auth = await loadNatsAuth(dir);
  const credentials = new HostCredentials({ db: handles.db, auth, natsUrl: server.url });
  await credentials.pushRevocations();
  await waitFor("the old host's open connection to be closed", () => oldHost.isClosed(), 60_000);
  expect(await refusal(oldHostCreds, hostInboxPrefix("old-host"))).toContain("Authorization Violation");

  // After a server restart with the new config, too; the stream kept its messages.
  await server.stop();
  await server.start();
  expect(await refusal(oldHostCreds, hostInboxPrefix("old-host"))).toContain("Authorization Violation");
  const collector = await connectWith(
    await readFile(join(dir, AUTH_FILES.collectorCreds), "utf8"),
    COLLECTOR_INBOX_PREFIX,
  );
  const info = await (await collector.jetstreamManager()).streams.info("INFRA");
  expect([info.state.first_seq, info.state.messages]).toEqual([1, 3]);
  expect(info.config.deny_purge).toBe(false); // until the collector's ensureStream turns it on
  await ensureStream(await collector.jetstreamManager(), settings);
  expect((await (await collector.jetstreamManager()).streams.info("INFRA")).config.deny_purge).toBe(true);

  // Re-issued, the host publishes again (in HOSTS); `nats list` tells the old key apart.
  const issued = await credentials.issueHostCredentials("new-host");
  const newHost = await connectWith(issued.creds, hostInboxPrefix("new-host"));
  expect((await newHost.jetstream().publish("infra.v1.new-host.system", encoder.encode("x"))).seq).toBe(4);
  const list = await credentials.listHostCredentials();
  expect(list.map((r) => [r.hostname, r.status])).toEqual([
    ["new-host", "live"],
    ["old-host", "refused-old-layout"],
  ]);
  expect(state.hosts_account.public_key).toBe(auth.state.hosts_account.public_key);
}, 180_000);

test("the CLI: `nats upgrade` on a current directory changes nothing and says so; it needs a directory", async () => {
  const out: string[] = [];
  const err: string[] = [];
  expect(
    await natsCli(
      ["nats", "upgrade", "--dir", dir],
      {},
      (l) => out.push(l),
      (l) => err.push(l),
    ),
  ).toBe(0);
  expect(out.join("\n")).toContain("nothing changed");
  expect(
    await natsCli(
      ["nats", "upgrade"],
      {},
      () => {},
      (l) => err.push(l),
    ),
  ).toBe(2);
  expect(err.join("\n")).toContain("needs --dir or NATS_AUTH_DIR");
});
