import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSmartCollector } from "@infrastructor/domains/smart/agent/index.ts";
import { testdata } from "@infrastructor/domains/smart/agent/testing/captures.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { ScriptedExecutor, type ScriptedOutput } from "@infrastructor/lib/testing/scripted-executor.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
const DAY = 86_400_000;
const t0 = Date.now() - 3_600_000;

beforeAll(async () => {
  pipeline = await startPipeline();
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

const WDC = "smartctl-exporter-wdc-wd20efrx-sata-hdd/smartctl-json.json";

/** The WD Red capture with its reallocated sector count raised: the same disk, a week worse (derived). */
function wdcWithReallocated(count: number): string {
  const json = JSON.parse(testdata(WDC));
  const row = json.ata_smart_attributes.table.find((a: { id: number }) => a.id === 5);
  row.raw = { string: String(count), value: count };
  return JSON.stringify(json, null, 2);
}

/** What the real collector sends for these devices, each answered by a captured output. */
async function envelope(
  seq: number,
  atMs: number,
  devices: Record<string, [string, ScriptedOutput]>,
): Promise<Envelope> {
  const scan = {
    json_format_version: [1, 0],
    smartctl: { version: [7, 4], exit_status: 0 },
    devices: Object.entries(devices).map(([name, [type]]) => ({ name, type })),
  };
  const executor = new ScriptedExecutor((argv) =>
    argv.includes("--scan-open")
      ? { stdout: JSON.stringify(scan), exitCode: 0 }
      : devices[argv.at(-1) ?? ""]?.[1],
  );
  const result = await createSmartCollector({ executor }).collect();
  expect(result.errors).toEqual([]);
  return domainEnvelope("nas1", "smart", result.data, {
    seq,
    boot_id: "smart-boot",
    collected_at: new Date(atMs).toISOString(),
    errors: result.errors,
  });
}

const wdc = (count: number): [string, ScriptedOutput] => [
  "sat",
  { stdout: wdcWithReallocated(count), exitCode: 0 },
];
const nvme: [string, ScriptedOutput] = [
  "nvme",
  { stdout: testdata("telegraf-smartctl-nvme-sabrent/smartctl-json.json"), exitCode: 0 },
];
const ssd: [string, ScriptedOutput] = [
  "sat",
  { stdout: testdata("beszel-sda-sata-ssd-exit64/smartctl-json.json"), exitCode: 64 },
];
const asleep: [string, ScriptedOutput] = [
  "sat",
  { stdout: testdata("handwritten-standby/smartctl-json.json"), exitCode: 2 },
];

const drives = async (): Promise<Record<string, Record<string, unknown>>> => {
  const rows = await pipeline.sql`
    SELECT s.* FROM smart_drives s JOIN devices d ON d.id = s.device_id WHERE d.hostname = 'nas1' ORDER BY s.device`;
  return Object.fromEntries(rows.map((r) => [r.device as string, r]));
};
const metricCount = async (): Promise<number> =>
  Number((await pipeline.sql`SELECT count(*)::int AS n FROM smart_metrics`)[0]?.n);

describe("smart envelopes through NATS and the collector into smart_drives and smart_metrics", () => {
  test("readings, a sleeping disk and a trend over six days", async () => {
    await publishEnvelopes(pipeline.js, [
      await envelope(0, t0 - 6 * DAY, { "/dev/sda": wdc(0), "/dev/nvme0": nvme, "/dev/sdb": ssd }),
    ]);
    await waitFor("the first readings", async () => (await metricCount()) === 3);
    await publishEnvelopes(pipeline.js, [
      await envelope(1, t0, { "/dev/sda": wdc(24), "/dev/nvme0": nvme, "/dev/sdb": asleep }),
    ]);
    await waitFor("the second readings", async () => (await metricCount()) === 5);
    const now = await waitFor("sdb asleep", async () => {
      const d = await drives();
      return d["/dev/sdb"]?.status === "standby" ? d : undefined;
    });

    const sda = now["/dev/sda"];
    expect(sda).toMatchObject({
      status: "active",
      drive_id: "WDC WD20EFRX-68EUZN0:REDACTED",
      verdict: "warning",
    });
    expect(sda?.reasons).toEqual(["24 reallocated sectors", "reallocated sectors 0 -> 24 in 6 days"]);
    expect(sda?.health).toBe("passed");
    expect((sda?.reading as { attributes: unknown[] } | undefined)?.attributes).toHaveLength(17);

    // Asleep: not read, so the last reading stays, and read_at says how old it is.
    const sdb = now["/dev/sdb"];
    expect(sdb).toMatchObject({ status: "standby", model: "P3-2TB", verdict: "warning" });
    expect((sdb?.read_at as Date | undefined)?.getTime()).toBe(t0 - 6 * DAY);
    expect((sdb?.collected_at as Date | undefined)?.getTime()).toBe(t0);

    expect(now["/dev/nvme0"]).toMatchObject({
      status: "active",
      verdict: "ok",
      protocol: "nvme",
      temperature_c: 48,
    });
    const [nvmeRow] = await pipeline.sql`
      SELECT percentage_used, available_spare_pct, media_errors::int AS media_errors, power_on_hours::int AS hours
      FROM smart_metrics WHERE device = '/dev/nvme0' ORDER BY time DESC LIMIT 1`;
    expect(nvmeRow).toEqual({ percentage_used: 4, available_spare_pct: 100, media_errors: 0, hours: 8733 });
  }, 120_000);

  test("an older envelope replayed late changes nothing; a newer one drops disks no longer listed", async () => {
    await publishEnvelopes(pipeline.js, [await envelope(2, t0 - DAY, { "/dev/sda": wdc(3) })]);
    await waitFor("the late reading in history", async () => (await metricCount()) === 6);
    const after = await drives();
    expect(Object.keys(after)).toEqual(["/dev/nvme0", "/dev/sda", "/dev/sdb"]);
    expect(after["/dev/sda"]?.reasons).toEqual([
      "24 reallocated sectors",
      "reallocated sectors 0 -> 24 in 6 days",
    ]);

    await publishEnvelopes(pipeline.js, [await envelope(3, t0 + 3_600_000, { "/dev/nvme0": nvme })]);
    const left = await waitFor("only nvme0 left", async () => {
      const d = await drives();
      return Object.keys(d).length === 1 ? d : undefined;
    });
    expect(Object.keys(left)).toEqual(["/dev/nvme0"]);
    expect((left["/dev/nvme0"]?.collected_at as Date | undefined)?.getTime()).toBe(t0 + 3_600_000);
  }, 120_000);
});
