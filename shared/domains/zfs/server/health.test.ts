import { describe, expect, test } from "bun:test";
import { itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { parseZpoolList } from "../agent/parse-zpool-list.ts";
import { parseZpoolStatus } from "../agent/parse-zpool-status.ts";
import { fixture, zpoolStatusExporterCapture } from "../agent/testing/captures.ts";
import type { ZfsData } from "../schema.ts";
import { zfsFindings } from "./health.ts";

const P: Provenance = {
  device: "nas",
  domain: "zfs",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};

function zfs(statusText: string): ZfsData {
  return {
    pools: { ok: true, value: [] },
    status: { ok: true, value: parseZpoolStatus(statusText).items },
  } as unknown as ZfsData;
}

describe("zfsFindings", () => {
  test("a pool zpool list says UNAVAIL/FAULTED whose status block is unreadable is still critical, with the reason", async () => {
    const list = parseZpoolList(await fixture("handwritten-unavail-faulted/zpool-list.txt"));
    const status = itemsResult(
      parseZpoolStatus(
        "  pool: backup\n state: \nconfig:\n\n\tNAME   STATE  READ WRITE CKSUM\n\tbackup UNAVAIL 0 0 0\n",
      ),
    );
    const data = { pools: itemsResult(list), status } as unknown as ZfsData;
    const findings = zfsFindings(P, data, 85);
    expect(findings.filter((f) => f.rule === "pool_state").map((f) => [f.severity, f.what])).toEqual([
      ["critical", "pool backup UNAVAIL"],
      ["critical", "pool scratch FAULTED"],
      ["critical", "pool fast DEGRADED"],
    ]);
    expect(findings.find((f) => f.what === "pool backup UNAVAIL")?.evidence).toContain(
      "its zpool status could not be read: PARSE_FAILED: ",
    );
  });

  test("permanent errors name the damaged files zpool status -v listed (a real capture)", async () => {
    const text = await fixture("kolkhis-permanent-errors-snapshots/zpool-status.txt");
    const finding = zfsFindings(P, zfs(text), 85).find((f) => f.rule === "permanent_errors");
    expect(finding).toMatchObject({ severity: "critical", what: "pool vmdata has 5 permanent data errors" });
    expect(finding?.evidence).toBe(
      "damaged: vmdata/vm-100-disk-0:<0x1>, vmdata/vm-204-disk-0@clean-cluster-init:<0x1>, vmdata/vm-201-disk-0:<0x1> and 2 more",
    );
  });

  test("a scrub that repaired bytes: the pool, the bytes and when (the captured mirror, repaired 1.5 MiB)", async () => {
    const text = (await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt")).replace(
      "repaired 0B",
      "repaired 1572864",
    );
    expect(zfsFindings(P, zfs(text), 85)).toEqual([
      expect.objectContaining({
        severity: "warning",
        impact: "data",
        rule: "scrub_repaired",
        what: "pool pool1 scrub repaired 1.5 MiB",
        evidence:
          "corruption found and fixed: the scrub finished on 2023-02-12T11:40:04 (host time) after repairing 1572864 bytes, 0 errors left",
        magnitude: 1572864,
      }),
    ]);
    expect(zfsFindings(P, zfs(await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt")), 85)).toEqual(
      [],
    );
  });

  test("critical: a pool DEGRADED; a member UNAVAIL even where the pool still says ONLINE", async () => {
    const text = await zpoolStatusExporterCapture("DEGRADED_unavail_disk");
    const [state] = zfsFindings(P, zfs(text), 85);
    expect(state).toMatchObject({
      severity: "critical",
      rule: "pool_state",
      what: "pool mypool DEGRADED",
      magnitude: 2,
    });
    const online = text.replace(/DEGRADED/g, "ONLINE");
    expect(zfsFindings(P, zfs(online), 85)[0]).toMatchObject({
      severity: "critical",
      what: "pool mypool member 12345678901234567890 UNAVAIL",
    });
  });

  test("permanent errors: critical, by count or by zpool status -v's file list", async () => {
    const text = await zpoolStatusExporterCapture("online_data_corruption");
    const found = zfsFindings(P, zfs(text), 85);
    expect(found.find((f) => f.rule === "permanent_errors")).toMatchObject({ severity: "critical" });
    // zpool status -v: the damaged files listed, the count not read.
    const data = zfs(text);
    const listed = {
      ...data,
      status: {
        ok: true as const,
        value: (data.status.ok ? data.status.value : []).map((p) => ({
          ...p,
          data_errors: null,
          errors_text:
            "Permanent errors have been detected in the following files:\n\n        /tank/a.bin\n        tank/data:<0x1>",
        })),
      },
    };
    expect(zfsFindings(P, listed, 85).find((f) => f.rule === "permanent_errors")).toMatchObject({
      severity: "critical",
      magnitude: 2,
    });
  });
});
