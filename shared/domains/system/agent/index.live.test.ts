import { describe, expect, test } from "bun:test";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { SystemDataSchema } from "../schema.ts";
import { createSystemCollector } from "./index.ts";

describe("system collector on this machine's /proc and /sys", () => {
  test("two samples pass SystemDataSchema; only optional sources may fail", async () => {
    const collector = createSystemCollector({ executor: new LocalExecutor() });
    await collector.prime?.();
    await Bun.sleep(300);
    const { data, errors } = await collector.collect();
    expect(data).not.toBeNull();
    const sample = SystemDataSchema.parse(data);
    expect(sample.interval_s).toBeGreaterThan(0.2);
    expect(sample.cpu?.cores).toBeGreaterThan(0);
    expect(sample.memory.total_bytes).toBeGreaterThan(0);
    expect(sample.process_count).toBeGreaterThan(0);
    expect(sample.interfaces.map((n) => n.interface)).not.toContain("lo");
    // Hosts without sensors (VMs, containers) or with unreachable mounts report those, and nothing else.
    for (const error of errors) expect(["hwmon", "statfs"]).toContain(error.source ?? "");
  });
});
