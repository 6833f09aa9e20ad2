import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupsCollector } from "@infrastructor/domains/backups/agent/index.ts";
import { probeArgv } from "@infrastructor/domains/backups/agent/observe.ts";
import { type ProbeConfig, ProbeConfigSchema } from "@infrastructor/domains/backups/agent/options.ts";
import type { CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
let dir: string;
const t0 = Date.now() - 3_600_000;
const agentTestdata = join(import.meta.dir, "../..");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backups-e2e-"));
  pipeline = await startPipeline();
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

function envelope(
  host: string,
  seq: number,
  atMs: number,
  result: CollectResult<"backups">,
  bootId = "b",
): Envelope {
  return domainEnvelope(host, "backups", result.data, {
    seq,
    boot_id: bootId,
    collected_at: new Date(atMs).toISOString(),
    errors: result.errors,
    unavailable: result.unavailable,
  });
}

const probesOf = async (host: string): Promise<Record<string, unknown>[]> =>
  await pipeline.sql`SELECT p.* FROM backup_probes p JOIN devices d ON d.id = p.device_id
    WHERE d.hostname = ${host} ORDER BY p.name`;

test("probe results of the real collector reach backup_probes and backup_probe_results", async () => {
  const dump = join(dir, "dump.sql.gz");
  await writeFile(dump, "0123456789");
  // Ages are judged against a fixed clock (the fixtures' dates), not this machine's date.
  const judgedAt = Date.parse("2026-11-24T12:00:00Z");
  await utimes(dump, new Date(judgedAt - 30 * 3_600_000), new Date(judgedAt - 30 * 3_600_000));
  const restic: ProbeConfig = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-nas",
    max_age_h: 26,
    repository: "/mnt/restic",
    password_file: "/etc/restic.pw",
  });
  const path = ProbeConfigSchema.parse({ kind: "path", name: "pg-dump", max_age_h: 24, path: dump });
  const borg = ProbeConfigSchema.parse({
    kind: "borg",
    name: "borg-off",
    max_age_h: 26,
    repository: "/mnt/borg",
  });
  const executor = new ScriptedExecutor({
    [(probeArgv(restic) ?? []).join(" ")]: {
      exitCode: 0,
      stdout: await Bun.file(
        join(
          agentTestdata,
          "backups/agent/testcases/handwritten-restic-snapshots-0.17/restic-snapshots.json",
        ),
      ).text(),
    },
  });
  const clock = (): number => judgedAt;
  const first = await createBackupsCollector({ executor, probes: [restic, path, borg], clock }).collect();
  // The config then loses the borg probe.
  const second = await createBackupsCollector({
    executor,
    probes: [restic, path],
    clock: () => judgedAt + 900_000,
  }).collect();

  for (const [seq, result, at] of [
    [0, first, t0],
    [1, second, t0 + 900_000],
  ] as const) {
    await publishEnvelopes(pipeline.js, [envelope("bk1", seq, at, result)]);
    await waitFor(`backup_sync at ${seq}`, async () => {
      const [row] = await pipeline.sql`SELECT collected_at FROM backup_sync`;
      return row?.collected_at.getTime() === at;
    });
  }
  const rows = await probesOf("bk1");
  expect(rows.map((r) => [r.name, r.kind, r.status, r.error_code])).toEqual([
    ["pg-dump", "path", "late", null],
    ["restic-nas", "restic", "ok", null],
  ]);
  expect((rows[1]?.last_success_at as Date | undefined)?.toISOString()).toBe("2026-11-24T01:02:59.880Z");
  expect(Number(rows[1]?.size_bytes)).toBe(48329031680);
  expect(Number(rows[0]?.size_bytes)).toBe(10);
  expect((rows[0]?.checked_at as Date | undefined)?.getTime()).toBe(t0 + 900_000);

  const history =
    await pipeline.sql`SELECT name, status, error_code FROM backup_probe_results WHERE time = ${new Date(t0)} ORDER BY name`;
  expect(history.map((h) => [h.name, h.status, h.error_code])).toEqual([
    ["borg-off", "failed", "COMMAND_MISSING"],
    ["pg-dump", "late", null],
    ["restic-nas", "ok", null],
  ]);
  expect((await pipeline.sql`SELECT count(*)::int AS n FROM backup_probe_results`)[0]?.n).toBe(5);

  // The older envelope again (another run's message id): history has it already, current state stays newer.
  await publishEnvelopes(pipeline.js, [envelope("bk1", 0, t0, first, "replay")]);
  await waitFor("the replay consumed", () => pipeline.collector.drained());
  expect((await probesOf("bk1")).map((r) => r.name)).toEqual(["pg-dump", "restic-nas"]);
  expect((await pipeline.sql`SELECT count(*)::int AS n FROM backup_probe_results`)[0]?.n).toBe(5);
}, 120_000);

test("a host without probes is stored as unavailable with the reason", async () => {
  const result = await createBackupsCollector({ executor: new LocalExecutor(), probes: [] }).collect();
  await publishEnvelopes(pipeline.js, [envelope("bk2", 0, t0, result)]);
  const state = await waitFor("bk2 unavailable", async () => {
    const [row] = await pipeline.sql`
      SELECT l.status, l.errors FROM latest_state l JOIN devices d ON d.id = l.device_id
      WHERE d.hostname = 'bk2' AND l.domain = 'backups'`;
    return row?.status === "unavailable" ? row : undefined;
  });
  expect(state.errors[0]).toMatchObject({ code: "NOT_FOUND", message: "no backup probes configured" });
}, 120_000);
