import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemDataSchema } from "@infrastructor/domains/system/schema.ts";
import { onlySystemDomain } from "@infrastructor/lib/testing/only-system.ts";
import { startTestNats } from "@infrastructor/lib/testing/servers.ts";
import { type Domain, DomainSchemas } from "@infrastructor/shared/domains.ts";
import { EnvelopeSchema } from "@infrastructor/shared/envelope.ts";
import { connect } from "nats";
import { freePort } from "../../scripts/lib/free-port.ts";
import { Spool } from "../src/publish/spool.ts";
import { countLines, listSegments, segmentPath } from "../src/publish/spool-files.ts";
import { createTestStream, readStream, waitFor } from "./stream.ts";

const MAIN = join(import.meta.dir, "../src/main.ts");
let dir: string;
let emptyConfig: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-agent-main-"));
  emptyConfig = join(dir, "agent.json");
  await writeFile(emptyConfig, "{}");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A real agent process, configured only through its environment (as a container would be). */
function spawnAgent(args: string[], env: Record<string, string>): Bun.Subprocess<"ignore", "pipe", "pipe"> {
  return Bun.spawn(["bun", MAIN, ...args], {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "", INFRA_AGENT_CONFIG: emptyConfig, INFRA_LOG_LEVEL: "info", ...env },
  });
}

/** Envelope lines the running agent has appended to its spool segments so far. */
function spooledLines(spoolDir: string): number {
  if (!existsSync(spoolDir)) return 0;
  return listSegments(spoolDir).reduce((n, id) => n + countLines(readFileSync(segmentPath(spoolDir, id))), 0);
}

function readSpool(spoolDir: string): number[] {
  const spool = Spool.open({ dir: spoolDir, maxBytes: 64 * 1024 ** 2 });
  const envelopes = spool.peek(10_000).envelopes;
  for (const envelope of envelopes) expect(SystemDataSchema.safeParse(envelope.data).success).toBe(true);
  const seqs = envelopes.map((e) => e.seq);
  spool.close();
  return seqs;
}

test("--once prints a JSON array of valid envelopes and never opens the spool or NATS", async () => {
  const spoolDir = join(dir, "once-spool");
  const proc = spawnAgent(["--once"], {
    INFRA_HOST: "oncehost",
    INFRA_SPOOL_DIR: spoolDir,
    NATS_URL: "nats://127.0.0.1:1",
  });
  const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  expect(code).toBe(0);
  const envelopes = (JSON.parse(stdout) as unknown[]).map((raw) => EnvelopeSchema.parse(raw));
  // One envelope per enabled domain, each valid for its domain: data, or why there is none.
  expect(envelopes.map((e) => e.domain).sort()).toEqual(Object.keys(DomainSchemas).sort());
  for (const envelope of envelopes) {
    expect(envelope).toMatchObject({ host: "oncehost", seq: 0 });
    const why = envelope.unavailable?.reason ?? envelope.errors[0]?.message;
    const valid =
      envelope.data === null
        ? typeof why === "string"
        : DomainSchemas[envelope.domain as Domain].safeParse(envelope.data).success;
    expect([envelope.domain, valid]).toEqual([envelope.domain, true]);
  }
  const system = envelopes.find((e) => e.domain === "system");
  expect(SystemDataSchema.parse(system?.data).cpu).not.toBeNull(); // primed a second before: rates are there
  expect(existsSync(spoolDir)).toBe(false);
});

test("SIGTERM with NATS unreachable: exits 0 promptly and leaves the samples in the spool", async () => {
  const spoolDir = join(dir, "sigterm-spool");
  const proc = spawnAgent([], {
    INFRA_HOST: "sigterm",
    ...onlySystemDomain(),
    INFRA_SPOOL_DIR: spoolDir,
    INFRA_SYSTEM_INTERVAL_S: "0.2",
    NATS_URL: `nats://127.0.0.1:${freePort()}`,
  });
  // Wait for samples on disk (a loaded machine starts bun slowly), not for a fixed time.
  await waitFor(() => spooledLines(spoolDir) >= 3, 60_000, "3 samples in the spool");
  const killedAt = Date.now();
  proc.kill("SIGTERM");
  expect(await proc.exited).toBe(0);
  // Bounded stop (about 3 s by design), with room for a machine five times slower.
  expect(Date.now() - killedAt).toBeLessThan(15_000);
  const seqs = readSpool(spoolDir);
  expect(seqs.length).toBeGreaterThanOrEqual(3);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
  const stderr = await new Response(proc.stderr).text();
  expect(stderr).toContain('"msg":"agent stopped"');
});

test("SIGTERM with NATS up: publishes, drains and exits 0 promptly", async () => {
  const nats = await startTestNats();
  try {
    const nc = await connect({ servers: nats.url });
    await createTestStream(nc);
    const spoolDir = join(dir, "drain-spool");
    const proc = spawnAgent([], {
      INFRA_HOST: "draining",
      ...onlySystemDomain(),
      INFRA_SPOOL_DIR: spoolDir,
      INFRA_SYSTEM_INTERVAL_S: "0.2",
      NATS_URL: nats.url,
    });
    await waitFor(async () => (await readStream(nc, "draining")).length >= 3, 10_000, "3 envelopes");
    const killedAt = Date.now();
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(15_000); // bounded stop; room for a slow machine
    const stored = (await readStream(nc, "draining")).map((s) => s.envelope.seq);
    const seqs = [...stored, ...readSpool(spoolDir)];
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
    await nc.close();
  } finally {
    await nats.destroy();
  }
});

test("a bad environment value stops the start with exit 78 and names the variable", async () => {
  const proc = spawnAgent([], { INFRA_SPOOL_MAX_BYTES: "huge", INFRA_SPOOL_DIR: join(dir, "never") });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  expect(code).toBe(78);
  expect(stderr).toContain("INFRA_SPOOL_MAX_BYTES");
});

test("--help prints usage and exits 0; an unknown flag exits 2", async () => {
  const help = spawnAgent(["--help"], {});
  expect(await new Response(help.stdout).text()).toContain("--once");
  expect(await help.exited).toBe(0);
  expect(await spawnAgent(["--bogus"], {}).exited).toBe(2);
});
