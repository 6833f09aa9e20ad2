import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import type { InventoryData } from "@infrastructor/domains/inventory/schema.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

const testdata = join(import.meta.dir, "../agent/testcases");
let pipeline: Pipeline;
let sample: InventoryData;
const t0 = Date.now() - 3_600_000;

function envelope(seq: number, collectedAtMs: number, data: InventoryData): Envelope {
  return domainEnvelope("inv1", "inventory", data, {
    seq,
    boot_id: "inventory-test",
    agent_version: data.agent_version,
    collected_at: new Date(collectedAtMs).toISOString(),
  });
}

beforeAll(async () => {
  pipeline = await startPipeline();
  // A real collection: this machine's /proc, with os-release from the testdata.
  const result = await createInventoryCollector({
    executor: new LocalExecutor(),
    agentVersion: "0.1.0-test",
    osReleasePaths: [join(testdata, "local-dev-vm/os-release.txt")],
  }).collect();
  if (result.data === null) throw new Error(`no inventory: ${JSON.stringify(result.errors)}`);
  sample = result.data;
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

describe("inventory envelopes through NATS into inventory and devices", () => {
  test("the newest collection fills the device registry; an older replay changes nothing", async () => {
    const { sql } = pipeline;
    const older: InventoryData = { ...sample, kernel: "5.10.0-old", memory_total_bytes: 1024 };
    await publishEnvelopes(pipeline.js, [envelope(1, t0 + 60_000, sample)]);
    const device = await waitFor(
      "the device's inventory",
      async () => {
        const [row] = await sql`SELECT * FROM devices WHERE hostname = 'inv1'`;
        return row?.kernel ? row : undefined;
      },
      60_000,
    );
    expect(device.os).toBe("Debian GNU/Linux 12 (bookworm)");
    expect(device.kernel).toBe(sample.kernel);
    expect(device.arch).toBe(sample.arch);
    expect(device.cpu_model).toBe(sample.cpu?.model);
    expect(device.cpu_cores).toBe(sample.cpu?.logical_cores);
    expect(Number(device.memory_total_bytes)).toBe(sample.memory_total_bytes ?? -1);

    await publishEnvelopes(pipeline.js, [envelope(0, t0, older)]);
    await waitFor(
      "the older envelope acked",
      async () => {
        const [n] = await sql`SELECT count(*)::int AS n FROM latest_state WHERE domain = 'inventory'`;
        return (await pipeline.collector.drained()) && n?.n === 1;
      },
      60_000,
    );
    const [inv] =
      await sql`SELECT i.* FROM inventory i JOIN devices d ON d.id = i.device_id WHERE d.hostname = 'inv1'`;
    expect(inv?.kernel).toBe(sample.kernel);
    expect(inv?.collected_at.getTime()).toBe(t0 + 60_000);
    expect(inv?.os_id).toBe("debian");
    expect(inv?.virtualization).toBe(sample.virtualization.kind);
    expect(inv?.boot_time?.toISOString()).toBe(sample.boot_time);
    const [after] = await sql`SELECT kernel, memory_total_bytes FROM devices WHERE hostname = 'inv1'`;
    expect(after?.kernel).toBe(sample.kernel);
    expect(Number(after?.memory_total_bytes)).toBe(sample.memory_total_bytes ?? -1);
  }, 120_000);
});
