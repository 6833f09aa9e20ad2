import { describe, expect, test } from "bun:test";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { BackupsData } from "../schema.ts";
import { backupFindings } from "./health.ts";

const P: Provenance = {
  device: "nas",
  domain: "zfs",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};

describe("backupFindings", () => {
  const data = {
    probes: [
      {
        name: "restic-db",
        kind: "restic",
        status: "failed",
        max_age_h: 26,
        age_s: null,
        error: { code: "NOT_FOUND", message: "no backup found" },
      },
      { name: "pg-dump", kind: "path", status: "late", max_age_h: 24, age_s: 30 * 3600, error: null },
    ],
  } as unknown as BackupsData;

  test("a probe with no success on record says never succeeded; the others failed or late, by how late", () => {
    const found = backupFindings(P, data, new Map([["restic-db", new Date("2026-11-30T00:00:00Z")]]));
    expect(found.map((f) => [f.rule, f.what, f.evidence, f.magnitude])).toEqual([
      [
        "backup_never_succeeded",
        "backup restic-db (restic) never succeeded",
        "no successful run on record (checked since 2026-11-30T00:00:00.000Z), max 26 h; NOT_FOUND: no backup found",
        0,
      ],
      ["backup_late", "backup pg-dump (path) late", "last 30 h before collection, max 24 h", 6],
    ]);
    expect(backupFindings(P, data)[0]?.rule).toBe("backup_failed");
  });
});
