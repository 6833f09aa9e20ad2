import { describe, expect, test } from "bun:test";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { UpsDataSchema } from "../schema.ts";
import { createUpsCollector, UPS_INTERVAL_MS } from "./index.ts";
import { collectRack, RACK, rackScript, upsCapture } from "./testing/rack.ts";

describe("ups collector", () => {
  test("this machine has no NUT client: unavailable, with the reason (real LocalExecutor)", async () => {
    const collector = createUpsCollector({ executor: new LocalExecutor() });
    expect(collector.defaultIntervalMs).toBe(60_000);
    expect(UPS_INTERVAL_MS).toBe(60_000);
    expect(await collector.collect()).toEqual({
      data: null,
      errors: [],
      unavailable: { code: "COMMAND_MISSING", reason: "upsc (Network UPS Tools client) is not installed" },
    });
  });

  test("every listed UPS is read; one whose driver is down is an item error, the others stay", async () => {
    const result = await collectRack();
    expect(result.errors).toEqual([]);
    const upsc = result.data?.upsc;
    if (!upsc?.ok) throw new Error("upsc failed");
    expect(UpsDataSchema.safeParse(result.data).success).toBe(true);
    expect(upsc.value.map((u) => [u.name, u.status, u.mfr])).toEqual([
      ["cp900", "OL", "CPS"],
      ["eaton5sc", "OL", "EATON"],
      ["evolution", "OB DISCHRG", "MGE UPS SYSTEMS"],
    ]);
    expect(upsc.value[1]).toMatchObject({ battery_runtime_s: 1631, load_pct: 17, output_voltage_v: 231.2 });
    expect(upsc.item_errors).toEqual([
      {
        name: "dead",
        error: {
          code: "COMMAND_FAILED",
          message: "upsc dead exited 1: Init SSL without certificate database\nError: Driver not connected",
          line: null,
          excerpt: null,
        },
      },
    ]);
  });

  test("a listed name that is not a NUT name never reaches upsc", async () => {
    const script = rackScript({ cp900: RACK.cp900 });
    script["upsc -l"] = { exitCode: 0, stdout: "cp900\n-o;reboot\n../x\n" };
    const executor = new ScriptedExecutor(script);
    const result = await createUpsCollector({ executor }).collect();
    expect(executor.commands).toEqual(["upsc -l", "upsc cp900"]);
    const upsc = result.data?.upsc;
    expect(upsc?.ok && upsc.value.map((u) => u.name)).toEqual(["cp900"]);
    expect(upsc?.ok && upsc.item_errors?.map((e) => [e.error.line, e.error.excerpt])).toEqual([
      [2, "-o;reboot"],
      [3, "../x"],
    ]);
  });

  test("upsd down: the listing fails as data (COMMAND_FAILED), not unavailable", async () => {
    const executor = new ScriptedExecutor({
      "upsc -l": { exitCode: 1, stderr: "Error: Connection failure: Connection refused\n" },
    });
    const result = await createUpsCollector({ executor }).collect();
    expect(result.data).toEqual({
      upsc: {
        ok: false,
        error: {
          code: "COMMAND_FAILED",
          message: "upsc -l exited 1: Error: Connection failure: Connection refused",
        },
      },
    });
  });

  test("a figure the schema refuses costs that UPS only (INVALID_MESSAGE), not the sample", async () => {
    const script = rackScript({ cp900: RACK.cp900, eaton5sc: RACK.eaton5sc });
    script["upsc eaton5sc"] = {
      exitCode: 0,
      stdout: upsCapture(RACK.eaton5sc).replace("battery.charge: 100", "battery.charge: 140"),
    };
    const result = await createUpsCollector({ executor: new ScriptedExecutor(script) }).collect();
    const upsc = result.data?.upsc;
    if (!upsc?.ok) throw new Error("upsc failed");
    expect(upsc.value.map((u) => u.name)).toEqual(["cp900"]);
    expect(upsc.item_errors?.map((e) => [e.name, e.error.code])).toEqual([
      ["dead", "COMMAND_FAILED"],
      ["eaton5sc", "INVALID_MESSAGE"],
    ]);
  });

  test("a value that is not a number is that UPS's item error, naming the line", async () => {
    const script = rackScript({ cp900: RACK.cp900 });
    script["upsc cp900"] = {
      exitCode: 0,
      stdout: upsCapture(RACK.cp900).replace("ups.load: 13", "ups.load: N/A"),
    };
    const result = await createUpsCollector({ executor: new ScriptedExecutor(script) }).collect();
    const upsc = result.data?.upsc;
    expect(upsc?.ok && upsc.value).toEqual([]);
    expect(upsc?.ok && upsc.item_errors?.[0]).toEqual({
      name: "cp900",
      error: {
        code: "PARSE_FAILED",
        message: "upsc: ups.load is not a number (line 39)",
        line: 39,
        excerpt: "ups.load: N/A",
      },
    });
  });
});
