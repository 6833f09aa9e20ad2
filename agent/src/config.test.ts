import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@infrastructor/shared/errors.ts";
import { defaultHost, loadConfig } from "./config.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-agent-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

function configError(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a CONFIG_INVALID error");
}

const missing = (): string => join(dir, "does-not-exist.json");

test("defaults when the default file is missing: hostname's first label, local NATS, 64 MiB spool", () => {
  const config = loadConfig({ env: { INFRA_AGENT_CONFIG: undefined }, hostname: "Pi4.home.lan" });
  expect(config.host).toBe("pi4");
  expect(config.nats).toEqual({
    servers: ["nats://127.0.0.1:4222"],
    credsFile: null,
    token: null,
    caFile: null,
    ackTimeoutMs: 2000,
  });
  expect(config.spool).toEqual({ dir: "/var/lib/infrastructor/spool", maxBytes: 64 * 1024 * 1024 });
  expect(config.domains.system).toEqual({ enabled: true, intervalMs: null, options: {} });
  expect(config.roots).toEqual({ proc: "/proc", sys: "/sys", host: "/" });
  expect(config.logLevel).toBe("info");
});

test("the file sets values and an environment variable wins over it", async () => {
  const file = await configFile(
    "agent.json",
    JSON.stringify({
      host: "from-file",
      nats: { url: "nats://hub:4222", token: "file-token" },
      spool: { max_bytes: 1048576 },
      domains: { system: { interval_s: 30 } },
    }),
  );
  const config = loadConfig({
    configPath: file,
    env: { INFRA_HOST: "from-env", INFRA_SYSTEM_INTERVAL_S: "0.5", NATS_TOKEN: "" },
    hostname: "ignored",
  });
  expect(config.host).toBe("from-env");
  expect(config.nats.servers).toEqual(["nats://hub:4222"]);
  expect(config.nats.token).toBe("file-token");
  expect(config.spool.maxBytes).toBe(1048576);
  expect(config.domains.system.intervalMs).toBe(500);
  expect(config.configFile).toBe(file);
});

test("INFRA_AGENT_CONFIG names the file; --config wins over it", async () => {
  const a = await configFile("a.json", JSON.stringify({ host: "aaa" }));
  const b = await configFile("b.json", JSON.stringify({ host: "bbb" }));
  expect(loadConfig({ env: { INFRA_AGENT_CONFIG: a } }).host).toBe("aaa");
  expect(loadConfig({ configPath: b, env: { INFRA_AGENT_CONFIG: a } }).host).toBe("bbb");
});

test("a bad environment value names the variable", () => {
  const err = configError(() =>
    loadConfig({ configPath: undefined, env: { INFRA_SPOOL_MAX_BYTES: "lots" }, hostname: "h" }),
  );
  expect(err.code).toBe("CONFIG_INVALID");
  expect(err.message).toContain("INFRA_SPOOL_MAX_BYTES");
  expect(configError(() => loadConfig({ env: { INFRA_HOST: "Bad.Host" } })).message).toContain("INFRA_HOST");
  expect(configError(() => loadConfig({ env: { INFRA_SYSTEM_ENABLED: "maybe" } })).message).toContain(
    "INFRA_SYSTEM_ENABLED",
  );
  expect(configError(() => loadConfig({ env: { INFRA_LOG_LEVEL: "loud" } })).message).toContain(
    "INFRA_LOG_LEVEL",
  );
});

test("a bad or unknown key in the file names the key and the file", async () => {
  const file = await configFile("bad.json", JSON.stringify({ spool: { max_bytes: -1 }, colour: "blue" }));
  const err = configError(() => loadConfig({ configPath: file, env: {}, hostname: "h" }));
  expect(err.message).toContain(`spool.max_bytes (in ${file})`);
  expect(err.message).toContain("colour");
});

test("an unreadable, non-JSON or explicitly named missing file stops the start", async () => {
  const notJson = await configFile("broken.json", "{ host: ");
  expect(configError(() => loadConfig({ configPath: notJson, env: {} })).message).toContain("not JSON");
  expect(configError(() => loadConfig({ configPath: missing(), env: {} })).message).toContain(
    "cannot read config file",
  );
  const array = await configFile("array.json", "[]");
  expect(configError(() => loadConfig({ configPath: array, env: {} })).message).toContain("JSON object");
  if (process.getuid?.() !== 0) {
    const locked = await configFile("locked.json", "{}");
    await chmod(locked, 0o000);
    expect(configError(() => loadConfig({ configPath: locked, env: {} })).message).toContain("EACCES");
  }
});

test("a hostname that cannot be a subject token asks for INFRA_HOST", () => {
  expect(defaultHost("My-Box.example.org")).toBe("my-box");
  const err = configError(() => loadConfig({ env: {}, hostname: "bad host!" }));
  expect(err.message).toContain("set INFRA_HOST");
});
