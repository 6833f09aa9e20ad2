import { expect, test } from "bun:test";
import { systemData } from "@infrastructor/lib/testing/envelopes.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { systemFindings } from "./health.ts";

const P: Provenance = {
  device: "nas",
  domain: "system",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};
const T = { cpuPct: 101, memPct: 101, diskPct: 101 };

test("a sensor at its critical limit is critical, at its high limit a warning; implausible limits are none", () => {
  const base = systemData();
  const data = {
    ...base,
    temperatures: [
      { sensor: "coretemp/Package id 0", temp_c: 101, high_c: 84, critical_c: 100 },
      { sensor: "nvme/Composite", temp_c: 71, high_c: 70, critical_c: 85 },
      { sensor: "acpitz/temp1", temp_c: 27.8, high_c: 0, critical_c: null },
      { sensor: "k10temp/Tctl", temp_c: 60, high_c: 70, critical_c: null },
    ],
  };
  const found = systemFindings(P, data, T).filter((f) => f.rule === "temperature");
  expect(found.map((f) => [f.severity, f.what, f.evidence])).toEqual([
    ["critical", "sensor coretemp/Package id 0 101 °C", "at or over its critical 100 °C"],
    ["warning", "sensor nvme/Composite 71 °C", "at or over its high 70 °C"],
  ]);
});
