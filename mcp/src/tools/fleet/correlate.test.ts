import { describe, expect, test } from "bun:test";
import { type DriveJudgement, driveFindings } from "@infrastructor/domains/smart/server/health.ts";
import { parseZpoolStatus } from "@infrastructor/domains/zfs/agent/parse-zpool-status.ts";
import { fixture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { ZfsData } from "@infrastructor/domains/zfs/schema.ts";
import { zfsFindings } from "@infrastructor/domains/zfs/server/health.ts";
import type { Provenance } from "../../answer/provenance.ts";
import { correlateDrivesWithPools } from "./correlate.ts";
import { sortFindings } from "./finding.ts";

const at = (domain: string, device = "nas"): Provenance => ({
  device,
  domain,
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
});

const hitachi: DriveJudgement = {
  device: "/dev/sdc",
  label: "/dev/sdc (Hitachi HDS721050DLE630 MSK423Y20S3HBC)",
  model: "Hitachi HDS721050DLE630",
  serial: "MSK423Y20S3HBC",
  verdict: "failing",
  reasons: ["SMART health self-assessment FAILED"],
  error: null,
};
const samsung: DriveJudgement = {
  ...hitachi,
  device: "/dev/sdx",
  label: "/dev/sdx",
  serial: "S1",
  verdict: "warning",
  reasons: ["24 reallocated sectors"],
};

async function tank(): Promise<ZfsData> {
  const status = parseZpoolStatus(await fixture("handwritten-tank-backup/zpool-status.txt")).items;
  return { pools: { ok: true, value: [] }, status: { ok: true, value: status } } as unknown as ZfsData;
}

describe("correlateDrivesWithPools", () => {
  test("the failing member of a degraded pool: one critical finding with both facts, first of all", async () => {
    const findings = [
      ...zfsFindings(at("zfs"), await tank(), 85),
      ...driveFindings(at("smart"), [hitachi, samsung]),
      ...driveFindings(at("smart", "other"), [hitachi]),
    ];
    const out = sortFindings(correlateDrivesWithPools(findings));
    expect(out.map((f) => [f.severity, f.rule, f.device, f.what])).toEqual([
      [
        "critical",
        "pool_member_failing",
        "nas",
        "pool tank DEGRADED with failing member /dev/sdc (Hitachi HDS721050DLE630 MSK423Y20S3HBC)",
      ],
      // The same drive on another host is no member of nas's pool.
      [
        "critical",
        "drive_failing",
        "other",
        "drive /dev/sdc (Hitachi HDS721050DLE630 MSK423Y20S3HBC) failing",
      ],
      ["warning", "vdev_errors", "nas", "pool tank vdev errors"],
      ["warning", "drive_degrading", "nas", "drive /dev/sdx degrading"],
    ]);
    const merged = out[0];
    expect(merged?.evidence).toContain("sdb-old FAULTED (too many errors)");
    expect(merged?.evidence).toContain("SMART health self-assessment FAILED");
    expect(merged?.related).toEqual([
      {
        domain: "smart",
        what: "drive /dev/sdc (Hitachi HDS721050DLE630 MSK423Y20S3HBC) failing",
        evidence: "SMART health self-assessment FAILED",
      },
    ]);
  });

  test("without a pool in trouble, drives stay their own findings", () => {
    const drives = driveFindings(at("smart"), [hitachi]);
    expect(correlateDrivesWithPools(drives)).toEqual(drives);
  });
});
