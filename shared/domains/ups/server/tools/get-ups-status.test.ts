import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { createUpsCollector } from "../../agent/index.ts";
import { collectRack, RACK, rackScript, upsCapture } from "../../agent/testing/rack.ts";

let harness: McpHarness;
let session: McpSession;

/**
 * rack1: the captured rack (CyberPower and Eaton on line, the MGE Evolution on battery, `dead`'s driver
 * down). rack2: the low-battery capture, and the Eaton with NUT's replace-battery and overload flags
 * set on its captured figures (derived: no public capture of RB or OVER was found). quiet: upsd down.
 */
beforeAll(async () => {
  harness = await startMcpHarness();
  await harness.ingest("rack1", "ups", await collectRack());
  const rack2 = rackScript({
    evo: "mge-evolution-500-low-battery/upsc.txt",
    old: RACK.eaton5sc,
    hot: RACK.eaton5sc,
  });
  rack2["upsc -l"] = { exitCode: 0, stdout: "evo\nold\nhot\n" };
  rack2["upsc old"] = {
    exitCode: 0,
    stdout: upsCapture(RACK.eaton5sc).replace("ups.status: OL", "ups.status: OL RB"),
  };
  rack2["upsc hot"] = {
    exitCode: 0,
    stdout: upsCapture(RACK.eaton5sc)
      .replace("ups.status: OL", "ups.status: OL OVER")
      .replace("ups.load: 17", "ups.load: 112"),
  };
  await harness.ingest(
    "rack2",
    "ups",
    await createUpsCollector({ executor: new ScriptedExecutor(rack2) }).collect(),
  );
  const down = new ScriptedExecutor({
    "upsc -l": { exitCode: 1, stderr: "Error: Connection failure: Connection refused\n" },
  });
  await harness.ingest("quiet", "ups", await createUpsCollector({ executor: down }).collect());
  session = await harness.connect();
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

// biome-ignore lint/suspicious/noExplicitAny: tests read structuredContent freely
type Any = Record<string, any>;
const call = async (name: string, args: Record<string, unknown>): Promise<{ s: Any; text: string }> => {
  const result = await session.call(name, args);
  expect(result.isError).toBeFalsy();
  const first = result.content[0];
  return { s: result.structuredContent as Any, text: first?.type === "text" ? first.text : "" };
};

describe("get_ups_status", () => {
  test("one device: every unit with its figures, the unreadable one named, provenance stored", async () => {
    const { s, text } = await call("get_ups_status", { device: "rack1" });
    expect(s.summary).toEqual({ units: 3, on_battery: 1, critical: 0 });
    expect(s.units.map((u: Any) => [u.name, u.status])).toEqual([
      ["evolution", "OB DISCHRG"],
      ["cp900", "OL"],
      ["eaton5sc", "OL"],
    ]);
    expect(s.units[0]).toMatchObject({
      device: "rack1",
      status_words: ["on battery", "discharging"],
      problems: [{ rule: "ups_on_battery", severity: "warning", what: "UPS evolution on battery" }],
      battery_charge_pct: 90,
      battery_runtime_s: 3690,
      model: "Pulsar Evolution 500",
    });
    expect(s.devices).toEqual([
      {
        device: "rack1",
        status: "ok",
        units: 3,
        error: null,
        item_errors: [expect.objectContaining({ name: "dead" })],
        item_errors_dropped: 0,
      },
    ]);
    expect(s.provenance).toMatchObject([{ device: "rack1", domain: "ups", source: "stored", stale: false }]);
    expect(text).toContain(
      "rack1/evolution (MGE UPS SYSTEMS Pulsar Evolution 500): on battery, discharging, battery 90%",
    );
    expect(text).toContain("Driver not connected");
  });

  test("every device: critical units first; a device whose upsd is down says so", async () => {
    const { s, text } = await call("get_ups_status", {});
    expect(s.summary).toEqual({ units: 6, on_battery: 2, critical: 3 });
    expect(s.units.slice(0, 3).map((u: Any) => `${u.device}/${u.name}`)).toEqual([
      "rack2/evo",
      "rack2/hot",
      "rack2/old",
    ]);
    expect(s.devices.find((d: Any) => d.device === "quiet")).toMatchObject({
      status: "failed",
      error: { code: "COMMAND_FAILED" },
    });
    expect(text).toContain("quiet: upsc FAILED: COMMAND_FAILED: upsc -l exited 1");
  });

  test("a device without NUT: COMMAND_MISSING, as the other tools say it", async () => {
    await harness.ingest("bare", "ups", {
      data: null,
      errors: [],
      unavailable: { code: "COMMAND_MISSING", reason: "upsc (Network UPS Tools client) is not installed" },
    });
    const result = await session.call("get_ups_status", { device: "bare" });
    expect(result.isError).toBe(true);
    expect((result.structuredContent as Any).error.code).toBe("COMMAND_MISSING");
  });
});

describe("UPS findings in the fleet check and the device status", () => {
  test("analyze_infrastructure_health: low battery, replace battery, overload critical; on battery a warning", async () => {
    const { s } = await call("analyze_infrastructure_health", { limit: 500 });
    const ups = s.findings.filter((f: Any) => f.domain === "ups");
    expect(ups.map((f: Any) => [f.severity, f.impact, f.rule, f.device, f.what])).toEqual([
      ["critical", "service", "ups_low_battery", "rack2", "UPS evo low battery"],
      ["critical", "service", "ups_replace_battery", "rack2", "UPS old battery to replace"],
      ["critical", "service", "ups_overload", "rack2", "UPS hot overloaded"],
      ["warning", "service", "ups_on_battery", "rack1", "UPS evolution on battery"],
    ]);
    expect(ups[2].evidence).toBe("ups.status OL OVER; battery 100%; runtime 1631 s; load 112%");
    expect(s.coverage.find((c: Any) => c.domain === "ups")).toMatchObject({ fresh: 3, unavailable: 1 });
  });

  test("the device status resource judges the ups payload by the same rules", async () => {
    const status = await session.client.readResource({ uri: "infra://devices/rack2/status" });
    const body = JSON.parse((status.contents[0] as { text: string }).text) as Any;
    const ups = body.domains.find((d: Any) => d.domain === "ups");
    expect(ups).toMatchObject({ status: "ok", severity: "critical", tool: "get_ups_status" });
  });
});
