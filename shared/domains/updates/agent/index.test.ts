import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { UpdatesDataSchema } from "../schema.ts";
import { createUpdatesCollector, UPDATES_INTERVAL_MS } from "./index.ts";
import { parseApkUpgradable } from "./parse-apk.ts";
import { testdata } from "./testing/captures.ts";

let runDir: string;
let emptyRunDir: string;
beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "updates-run-"));
  emptyRunDir = await mkdtemp(join(tmpdir(), "updates-run-empty-"));
  await mkdir(join(runDir, "var", "run"), { recursive: true });
  await writeFile(join(runDir, "var", "run", "reboot-required"), "*** System restart required ***\n");
  await writeFile(
    join(runDir, "var", "run", "reboot-required.pkgs"),
    await testdata("handwritten__reboot_required.pkgs"),
  );
});
afterAll(async () => {
  await rm(runDir, { recursive: true, force: true });
  await rm(emptyRunDir, { recursive: true, force: true });
});

function collectorWith(script: Record<string, ScriptedAnswer>, dir = emptyRunDir) {
  const executor = new ScriptedExecutor(script);
  return { executor, collector: createUpdatesCollector({ executor, hostRoot: dir }) };
}

describe("updates collector (tools that do not run here, answering with the handwritten fixtures)", () => {
  test("dnf: exit 100 lists updates; the manager is detected once", async () => {
    const stdout = await testdata("handwritten-dnf-check-update/dnf.txt");
    const { executor, collector } = collectorWith({
      "dnf --version": { exitCode: 0, stdout: "4.19.0\n" },
      "dnf check-update": { exitCode: 100, stdout },
    });
    expect(collector.defaultIntervalMs).toBe(UPDATES_INTERVAL_MS);
    const first = await collector.collect();
    expect(first.data?.manager).toBe("dnf");
    expect(first.data?.pending.ok && first.data.pending.packages.length).toBe(7);
    expect(first.data?.reboot).toEqual({ required: "unknown", packages: [] });
    await collector.collect();
    expect(executor.commands.filter((c) => c.endsWith("--version"))).toEqual([
      "apt --version",
      "dnf --version",
    ]);
  });

  test("dnf exit 1 and a timeout are data ({ ok: false }), not a thrown error", async () => {
    const failing = collectorWith({
      "dnf --version": { exitCode: 0 },
      "dnf check-update": { exitCode: 1, stderr: "Error: Failed to download metadata for repo 'updates'\n" },
    });
    const failed = await failing.collector.collect();
    expect(failed.data?.pending).toEqual({
      ok: false,
      error: {
        code: "COMMAND_FAILED",
        message: "exit 1: Error: Failed to download metadata for repo 'updates'",
      },
    });
    const slow = collectorWith({ "apk --version": { exitCode: 0 }, "apk list -u": "timeout" });
    const timedOut = await slow.collector.collect();
    expect(timedOut.data?.manager).toBe("apk");
    expect(timedOut.data?.pending).toMatchObject({ ok: false, error: { code: "COMMAND_TIMEOUT" } });
  });

  test("pacman: checkupdates when present (exit 2 = none), else pacman -Qu", async () => {
    const withContrib = collectorWith({ "pacman --version": { exitCode: 0 }, checkupdates: { exitCode: 2 } });
    expect((await withContrib.collector.collect()).data?.pending).toEqual({ ok: true, packages: [] });
    const plain = collectorWith({
      "pacman --version": { exitCode: 0 },
      "pacman -Qu": { exitCode: 0, stdout: await testdata("handwritten-pacman-qu/pacman.txt") },
    });
    const result = await plain.collector.collect();
    expect(result.data?.pending.ok && result.data.pending.packages.map((p) => p.name)).toEqual([
      "linux",
      "openssl",
    ]);
  });

  test("apk: an unreadable line is an item error beside the packages; output cut mid-line is PARSE_FAILED", async () => {
    const listing = await testdata("handwritten-apk-list-u/apk.txt");
    const { collector } = collectorWith({
      "apk --version": { exitCode: 0 },
      "apk list -u": { exitCode: 0, stdout: `${listing}oops\n` },
    });
    const result = await collector.collect();
    expect(result.data?.pending).toEqual({
      ok: true,
      packages: parseApkUpgradable(listing).items,
      item_errors: [
        {
          name: null,
          error: {
            code: "PARSE_FAILED",
            message: "apk list -u: not an `apk list -u` line (line 5)",
            line: 5,
            excerpt: "oops",
          },
        },
      ],
    });
    expect(UpdatesDataSchema.parse(result.data)).toEqual(result.data as never);
    const cut = collectorWith({
      "apk --version": { exitCode: 0 },
      "apk list -u": { exitCode: 0, stdout: listing.slice(0, -20) },
    });
    expect((await cut.collector.collect()).data?.pending).toMatchObject({
      ok: false,
      error: { code: "PARSE_FAILED", message: expect.stringContaining("cut short (line 4)") },
    });
  });

  test("no package manager at all: unavailable, with the reason", async () => {
    const { collector } = collectorWith({});
    expect(await collector.collect()).toEqual({
      data: null,
      errors: [],
      unavailable: { code: "COMMAND_MISSING", reason: "none of apt, dnf, pacman, apk is installed" },
    });
  });

  test("reboot-required and its .pkgs", async () => {
    const { collector } = collectorWith(
      { "apk --version": { exitCode: 0 }, "apk list -u": { exitCode: 0 } },
      runDir,
    );
    expect((await collector.collect()).data?.reboot).toEqual({
      required: "yes",
      packages: ["linux-image-6.8.0-49-generic", "libc6"],
    });
  });
});
