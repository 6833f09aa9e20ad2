import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { UpdatesDataSchema } from "../schema.ts";
import { createUpdatesCollector } from "./index.ts";

let runDir: string;
beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "updates-live-"));
});
afterAll(async () => {
  await rm(runDir, { recursive: true, force: true });
});

const hasApt = Bun.which("apt") !== null;

/** This machine's real apt, called once (a listing costs about half a second of CPU). */
test.skipIf(!hasApt)(
  "the real apt of this machine: detected, listed, valid",
  async () => {
    const collector = createUpdatesCollector({ executor: new LocalExecutor(), hostRoot: runDir });
    const result = await collector.collect();
    expect(result.errors).toEqual([]);
    const data = UpdatesDataSchema.parse(result.data);
    expect(data.manager).toBe("apt");
    if (!data.pending.ok) throw new Error(`apt failed: ${data.pending.error.message}`);
    for (const p of data.pending.packages) {
      expect(p.available_version).not.toBe(p.current_version);
      expect(["security", "regular"]).toContain(p.kind);
    }
    expect(data.reboot).toEqual({ required: "no", packages: [] });
  },
  120_000,
);
