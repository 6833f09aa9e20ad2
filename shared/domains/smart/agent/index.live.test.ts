import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { SmartDataSchema } from "../schema.ts";
import { createSmartCollector } from "./index.ts";
import { readDrive } from "./read.ts";

/**
 * This machine's real smartctl, whatever it finds. On the dev VM (smartmontools 7.3, one virtio disk)
 * `--scan-open` lists nothing: a sample with zero drives. Without smartmontools: unavailable.
 */
test("the real smartctl here gives a valid sample, or unavailable when it is not installed", async () => {
  const installed = Bun.which("smartctl", { PATH: `${process.env.PATH}:/usr/sbin:/sbin` });
  const collector = createSmartCollector({
    executor: new LocalExecutor(),
    smartctl_path: installed ?? "smartctl",
  });
  const result = await collector.collect();
  if (installed === null) {
    expect(result.unavailable?.code).toBe("COMMAND_MISSING");
    return;
  }
  expect(result.unavailable).toBeUndefined();
  const data = SmartDataSchema.parse(result.data);
  expect(data.format).toBe("json");
  expect(data.smartctl_version).toMatch(/^\d+\.\d+$/);
  // Each disk found is a reading, asleep, or an error with a code: never a thrown error.
  for (const drive of data.drives) expect(drive.ok || drive.error.code.length > 0).toBe(true);
}, 120_000);

test("reading this VM's virtio disk is a clear per-device error, not a crash", async () => {
  const installed = Bun.which("smartctl", { PATH: `${process.env.PATH}:/usr/sbin:/sbin` });
  if (installed === null || !existsSync("/dev/vda")) return;
  const runner = { executor: new LocalExecutor(), command: [installed], timeoutMs: 60_000 };
  const drive = await readDrive(runner, "json", { device: "/dev/vda", type: "auto" });
  expect(drive).toMatchObject({
    ok: false,
    error: { code: "COMMAND_FAILED" },
    exit_flags: ["command_line_error"],
  });
  expect(drive.ok === false && drive.error.message).toContain("Unable to detect device type");
}, 120_000);
