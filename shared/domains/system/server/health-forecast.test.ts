import { describe, expect, test } from "bun:test";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { MountGrowth } from "@infrastructor/mcp/tools/fleet/health-history.ts";
import { fsFullFindings } from "./health-forecast.ts";

const P: Provenance = {
  device: "db1",
  domain: "system",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};
const GIB = 2 ** 30;

function growth(perDayGiB: number, freeGiB: number): MountGrowth {
  return {
    mountpoint: "/var/lib/postgresql",
    device: "/dev/sdb1",
    slope_bytes_per_s: (perDayGiB * GIB) / 86_400,
    samples: 9,
    first_at: new Date("2026-12-01T12:00:00Z"),
    last_at: new Date("2026-12-02T12:00:00Z"),
    free_bytes: freeGiB * GIB,
    size_bytes: 100 * GIB,
  };
}

describe("fsFullFindings", () => {
  test("full in 3 days at 4 GiB/day with 12 GiB free: the rate, the days and the date", () => {
    const [f] = fsFullFindings(P, [growth(4, 12)], 7, 24);
    expect(f).toMatchObject({
      rule: "fs_full_soon",
      severity: "warning",
      impact: "capacity",
      what: "disk /var/lib/postgresql full in 3.0 days",
      evidence:
        "growing 4.0 GiB/day (least squares over 9 samples of the last 24 h); 12.0 GiB free of 100.0 GiB (/dev/sdb1); full around 2026-12-05T12:00Z",
    });
    expect(f?.magnitude).toBeCloseTo(1 / 3);
  });

  test("beyond the horizon, flat or shrinking: nothing; sooner ranks larger", () => {
    expect(fsFullFindings(P, [growth(1, 12)], 7, 24)).toEqual([]);
    expect(fsFullFindings(P, [growth(0, 1)], 7, 24)).toEqual([]);
    expect(fsFullFindings(P, [growth(-5, 1)], 7, 24)).toEqual([]);
    expect(fsFullFindings(P, [growth(1, 12)], 14, 24)).toHaveLength(1);
    const [soon, later] = fsFullFindings(P, [growth(12, 12), growth(4, 12)], 7, 24);
    expect((soon?.magnitude ?? 0) > (later?.magnitude ?? 0)).toBe(true);
  });
});
