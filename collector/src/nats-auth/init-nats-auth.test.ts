import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@infrastructor/shared/errors.ts";
import { decode } from "@nats-io/jwt";
import { AUTH_FILES } from "./auth-files.ts";
import { initNatsAuth } from "./init-nats-auth.ts";
import { loadNatsAuth } from "./load-nats-auth.ts";

let root: string;
let dir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "infra-nats-init-"));
  dir = join(root, "auth");
  await initNatsAuth(dir);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);

test("init writes seeds and credentials readable by their owner only, public files readable", async () => {
  expect(await mode(dir)).toBe("700");
  const files = (await readdir(dir)).sort();
  expect(files).toEqual([...Object.values(AUTH_FILES), "resolver"].sort());
  for (const file of files.filter((f) => f.endsWith(".nk") || f.endsWith(".creds"))) {
    expect([file, await mode(join(dir, file))]).toEqual([file, "600"]);
  }
  expect(await mode(join(dir, AUTH_FILES.serverConfig))).toBe("644");
  for (const file of [AUTH_FILES.serverConfig, AUTH_FILES.state]) {
    // No seed leaks: a seed is a whole 58-character token `S[OAU]...`. A public key (56 characters) can
    // hold "SU"/"SA"/"SO" near its start, which an unanchored pattern took for a seed (a random failure).
    expect(await readFile(join(dir, file), "utf8")).not.toMatch(
      /(?<![A-Z2-7])S[OAU][A-Z2-7]{56}(?![A-Z2-7])/,
    );
  }
});

test("the operator names its signing key and the system account; the collector's JWT its limits", async () => {
  const auth = await loadNatsAuth(dir);
  const operator = decode<{ signing_keys: string[]; system_account: string }>(auth.state.operator.jwt);
  expect(operator.nats.signing_keys).toEqual([auth.state.operator.signing_key]);
  expect(operator.nats.system_account).toBe(auth.state.system_account.public_key);
  const creds = await readFile(join(dir, AUTH_FILES.collectorCreds), "utf8");
  const jwt = /-----BEGIN NATS USER JWT-----\n(.+)\n/.exec(creds)?.[1] ?? "";
  const user = decode<{ pub: { allow: string[] }; sub: { allow: string[] }; issuer_account: string }>(jwt);
  expect(user.nats.pub?.allow).toEqual(["$JS.API.>", "$JS.ACK.>"]);
  expect(user.nats.sub?.allow).toEqual(["_INBOX.collector.>"]);
  expect(user.nats.issuer_account).toBe(auth.state.infra_account.public_key);
  expect(user.iss).toBe(auth.state.infra_account.signing_key);
});

test("hosts get their own account, which imports the telemetry service INFRA exports", async () => {
  const auth = await loadNatsAuth(dir);
  const config = await readFile(join(dir, AUTH_FILES.serverConfig), "utf8");
  const preload = (key: string) => new RegExp(`${key}: "([^"]+)"`).exec(config)?.[1] ?? "";
  type Claims = {
    exports?: { subject: string; type: string }[];
    imports?: { subject: string; account: string }[];
    limits: Record<string, unknown>;
  };
  const infra = decode<Claims>(preload(auth.state.infra_account.public_key));
  const hosts = decode<Claims>(preload(auth.state.hosts_account.public_key));
  expect(infra.nats.exports).toEqual([expect.objectContaining({ subject: "infra.v1.>", type: "service" })]);
  expect(hosts.nats.imports).toEqual([
    expect.objectContaining({ subject: "infra.v1.>", account: auth.state.infra_account.public_key }),
  ]);
  expect(hosts.nats.limits?.disk_storage).toBeUndefined(); // no JetStream in HOSTS
  expect(auth.hostsSigner.getPublicKey()).toBe(auth.state.hosts_account.signing_key);
});

test("a second init refuses to replace the keys", async () => {
  const before = await readFile(join(dir, AUTH_FILES.operatorSeed), "utf8");
  const err = await initNatsAuth(dir).catch((e: unknown) => e);
  expect((err as AppError).code).toBe("CONFIG_INVALID");
  expect((err as AppError).message).toContain("already holds");
  expect(await readFile(join(dir, AUTH_FILES.operatorSeed), "utf8")).toBe(before);
});

test("load refuses a seed that is not the one the state names, and a missing directory", async () => {
  const other = join(root, "other");
  await initNatsAuth(other);
  const mixed = join(root, "mixed");
  await initNatsAuth(mixed);
  await copyFile(join(other, AUTH_FILES.hostsSigningSeed), join(mixed, AUTH_FILES.hostsSigningSeed));
  const err = await loadNatsAuth(mixed).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).message).toContain(AUTH_FILES.hostsSigningSeed);
  const missing = await loadNatsAuth(join(root, "nowhere")).catch((e: unknown) => e);
  expect((missing as AppError).code).toBe("CONFIG_INVALID");
  expect((missing as AppError).message).toContain("nats init");
});

test("a resolver directory that would need quoting in the server config is refused", async () => {
  const err = await initNatsAuth(join(root, "quoted"), { resolverDir: '/tmp/a"b' }).catch((e: unknown) => e);
  expect((err as AppError).code).toBe("CONFIG_INVALID");
});
