import { describe, expect, test } from "bun:test";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { Ups, UpsData } from "../schema.ts";
import { upsFindings } from "./health.ts";

const p: Provenance = {
  device: "rack",
  domain: "ups",
  source: "stored",
  observed_at: "2026-12-02T12:00:00.000Z",
  age_s: 30,
  stale: false,
};

const unit = (name: string, status: string, extra: Partial<Ups> = {}): Ups => ({
  name,
  status,
  alarm: null,
  battery_charge_pct: 100,
  battery_runtime_s: 1800,
  battery_voltage_v: null,
  load_pct: 20,
  input_voltage_v: 230,
  output_voltage_v: 230,
  temperature_c: null,
  model: null,
  mfr: null,
  serial: null,
  ...extra,
});

const judge = (...units: Ups[]): [string, string, string, number][] =>
  upsFindings(p, { upsc: { ok: true, value: units } }).map((f) => [f.rule, f.severity, f.what, f.magnitude]);

describe("ups findings", () => {
  test("on line, charging, trimming: nothing to say", () => {
    expect(judge(unit("a", "OL"), unit("b", "OL CHRG"), unit("c", "OL TRIM"))).toEqual([]);
  });

  test("on battery warns, by how much charge is gone; low battery is critical and says it once", () => {
    expect(judge(unit("a", "OB DISCHRG", { battery_charge_pct: 72 }))).toEqual([
      ["ups_on_battery", "warning", "UPS a on battery", 28],
    ]);
    expect(judge(unit("a", "OB LB DISCHRG", { battery_charge_pct: 9 }))).toEqual([
      ["ups_low_battery", "critical", "UPS a low battery", 91],
    ]);
    expect(judge(unit("a", "FSD OB LB"))[0]?.[0]).toBe("ups_low_battery");
  });

  test("replace battery and overload are critical on line too; overload by its load", () => {
    expect(judge(unit("a", "OL RB"), unit("b", "OL OVER", { load_pct: 118 }))).toEqual([
      ["ups_replace_battery", "critical", "UPS a battery to replace", 0],
      ["ups_overload", "critical", "UPS b overloaded", 118],
    ]);
  });

  test("the evidence is NUT's status and figures; a failed listing is no finding here", () => {
    const [f] = upsFindings(p, { upsc: { ok: true, value: [unit("a", "OB", { load_pct: null })] } });
    expect(f?.evidence).toBe("ups.status OB; battery 100%; runtime 1800 s");
    expect(f).toMatchObject({ device: "rack", domain: "ups", impact: "service", source: "stored" });
    const failed: UpsData = { upsc: { ok: false, error: { code: "COMMAND_FAILED", message: "x" } } };
    expect(upsFindings(p, failed)).toEqual([]);
  });
});
