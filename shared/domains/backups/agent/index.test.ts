import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { BackupsDataSchema, type ProbeResult } from "../schema.ts";
import { createBackupsCollector } from "./index.ts";
import { probeArgv } from "./observe.ts";
import { type ProbeConfig, ProbeConfigSchema } from "./options.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();
const zfsFixture = (name: string): Promise<string> =>
  Bun.file(join(import.meta.dir, "../../zfs/agent/testcases", name)).text();
const probe = (p: Record<string, unknown>): ProbeConfig => ProbeConfigSchema.parse(p);
const H = 3_600_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backups-collector-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const restic = probe({
  kind: "restic",
  name: "restic-nas",
  max_age_h: 26,
  repository: "/mnt/restic",
  password_file: "/etc/infrastructor/restic.pw",
});
const borg = probe({
  kind: "borg",
  name: "borg-nas",
  max_age_h: 26,
  repository: "ssh://backup@host/./repo",
  passphrase_file: "/etc/infrastructor/borg.pass",
});
const zfs = probe({ kind: "zfs_snapshot", name: "tank-data", max_age_h: 48, dataset: "tank/data" });
const argvKey = (p: ProbeConfig): string => (probeArgv(p) ?? []).join(" ");

function byName(probes: ProbeResult[] | undefined): Record<string, ProbeResult> {
  return Object.fromEntries((probes ?? []).map((p) => [p.name, p]));
}

describe("the backups collector", () => {
  test("no probes configured: unavailable, with that reason", async () => {
    const result = await createBackupsCollector({ executor: new LocalExecutor(), probes: [] }).collect();
    expect(result).toEqual({
      data: null,
      errors: [],
      unavailable: { code: ErrorCode.NOT_FOUND, reason: "no backup probes configured" },
    });
  });

  test("on this machine (no restic, borg or zfs): those probes fail COMMAND_MISSING, path probes still run", async () => {
    const fresh = join(dir, "fresh.dump");
    const stale = join(dir, "stale.dump");
    await writeFile(fresh, "0123456789");
    await writeFile(stale, "x");
    const now = Date.now();
    await utimes(stale, new Date(now - 50 * H), new Date(now - 50 * H));
    const probes = [
      restic,
      borg,
      zfs,
      probe({ kind: "path", name: "db-dump", max_age_h: 24, path: fresh }),
      probe({ kind: "path", name: "old-dump", max_age_h: 24, path: stale }),
      probe({ kind: "path", name: "gone", max_age_h: 24, path: join(dir, "missing") }),
    ];
    const result = await createBackupsCollector({ executor: new LocalExecutor(), probes }).collect();
    const got = byName(BackupsDataSchema.parse(result.data).probes);
    for (const name of ["restic-nas", "borg-nas", "tank-data"]) {
      expect([name, got[name]?.status, got[name]?.error?.code]).toEqual([
        name,
        "failed",
        ErrorCode.COMMAND_MISSING,
      ]);
    }
    expect(got["db-dump"]).toMatchObject({ status: "ok", size_bytes: 10, item_count: null, error: null });
    expect(got["old-dump"]?.status).toBe("late");
    expect(got["old-dump"]?.age_s).toBeGreaterThan(49 * 3600);
    expect(got.gone).toMatchObject({
      status: "failed",
      last_success_at: null,
      error: { code: ErrorCode.NOT_FOUND },
    });
  });

  test("restic, borg and zfs snapshots from their documented outputs: ok and late against max_age_h", async () => {
    const script: Record<string, ScriptedAnswer> = {
      [argvKey(restic)]: {
        exitCode: 0,
        stdout: await fixture("handwritten-restic-snapshots-0.17/restic-snapshots.json"),
      },
      [argvKey(borg)]: { exitCode: 0, stdout: await fixture("handwritten-borg-list-1.2/borg-list.json") },
      [argvKey(zfs)]: { exitCode: 0, stdout: await zfsFixture("handwritten-tank-backup/zfs-snapshots.txt") },
    };
    // 2026-11-24 12:00 UTC: restic's newest ended 11 h before; the zfs snapshots are from March 2024.
    const clock = (): number => Date.parse("2026-11-24T12:00:00Z");
    const result = await createBackupsCollector({
      executor: new ScriptedExecutor(script),
      probes: [restic, borg, zfs],
      clock,
    }).collect();
    const got = byName(BackupsDataSchema.parse(result.data).probes);
    expect(got["restic-nas"]).toEqual({
      name: "restic-nas",
      kind: "restic",
      status: "ok",
      max_age_h: 26,
      last_success_at: "2026-11-24T01:02:59.880Z",
      age_s: 39_420.12,
      size_bytes: 48329031680,
      item_count: 2,
      error: null,
    });
    expect(got["borg-nas"]).toMatchObject({ status: "ok", item_count: 2, size_bytes: null });
    expect(got["borg-nas"]?.last_success_at).toBe(new Date(2026, 10, 24, 3, 0, 3).toISOString());
    // `zfs list -d 1 tank/data` lists only tank/data's own snapshots; the other line is ignored anyway.
    expect(got["tank-data"]).toMatchObject({
      status: "late",
      last_success_at: new Date(1709337601 * 1000).toISOString(),
      size_bytes: 960998932480,
      item_count: 2,
    });
  });

  test("a wrong password, an empty repository and a hanging restic are failures; the others still run", async () => {
    const empty = probe({ ...restic, name: "empty", repository: "/mnt/empty" });
    const hung = probe({ ...restic, name: "hung", repository: "sftp:host:/slow" });
    const script: Record<string, ScriptedAnswer> = {
      [argvKey(restic)]: { exitCode: 12, stderr: "Fatal: wrong password or no key found\n" },
      [argvKey(empty)]: { exitCode: 0, stdout: "[]\n" },
      [argvKey(hung)]: "hang",
      [argvKey(zfs)]: { exitCode: 0, stdout: await zfsFixture("handwritten-tank-backup/zfs-snapshots.txt") },
    };
    const collector = createBackupsCollector({
      executor: new ScriptedExecutor(script),
      probes: [restic, empty, hung, zfs],
      timeout_s: 1,
    });
    const got = byName((await collector.collect()).data?.probes);
    expect(got["restic-nas"]?.error).toEqual({
      code: ErrorCode.COMMAND_FAILED,
      message: "restic snapshots exited 12: Fatal: wrong password or no key found",
    });
    expect(got.empty).toMatchObject({
      status: "failed",
      item_count: 0,
      error: { code: ErrorCode.NOT_FOUND, message: "no backup found" },
    });
    expect(got.hung?.error?.code).toBe(ErrorCode.COMMAND_TIMEOUT);
    expect(got["tank-data"]?.status).toBe("late");
  }, 30_000);
});

test("a probe that bypassed the config loader is still checked before anything runs", async () => {
  const executor = new ScriptedExecutor({});
  const sneaky = { ...zfs, dataset: "-r" } as ProbeConfig;
  const result = await createBackupsCollector({ executor, probes: [sneaky] }).collect();
  expect(result.data?.probes[0]?.error?.code).toBe(ErrorCode.CONFIG_INVALID);
  expect(executor.calls).toEqual([]);
});

describe("probe configuration", () => {
  test.each([
    ["an inline password", { ...restic, password: "hunter2" }],
    ["a repository that reads as an option", { ...restic, repository: "--insecure-tls" }],
    ["a relative password file", { ...restic, password_file: "restic.pw" }],
    [
      "a passphrase file with a space (it goes into BORG_PASSCOMMAND)",
      { ...borg, passphrase_file: "/etc/my pass" },
    ],
    ["a dataset name that is not one", { ...zfs, dataset: "tank/../etc" }],
    ["a dataset that reads as an option", { ...zfs, dataset: "-r" }],
    ["a name with a space", { ...zfs, name: "tank data" }],
  ])("refuses %s", (_, config) => {
    expect(ProbeConfigSchema.safeParse(config).success).toBe(false);
  });

  test("argv: one entry per value, the passphrase file only inside BORG_PASSCOMMAND", () => {
    expect(probeArgv(restic)).toEqual([
      "restic",
      "snapshots",
      "--json",
      "--no-lock",
      "--repo",
      "/mnt/restic",
      "--password-file",
      "/etc/infrastructor/restic.pw",
    ]);
    expect(probeArgv(borg)).toEqual([
      "env",
      "BORG_PASSCOMMAND=cat /etc/infrastructor/borg.pass",
      "borg",
      "list",
      "--json",
      "--bypass-lock",
      "ssh://backup@host/./repo",
    ]);
    expect(probeArgv(zfs)?.slice(-3)).toEqual(["-d", "1", "tank/data"]);
  });
});
