import { expect, test } from "bun:test";
import { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import { BackupsDataSchema } from "../schema.ts";
import { BACKUPS_TABLES, backupsWriter } from "./writer.ts";

test("one COPY line per probe, one field per column; unknowns are \\N", () => {
  const data = BackupsDataSchema.parse({
    probes: [
      {
        name: "r",
        kind: "restic",
        status: "ok",
        max_age_h: 26,
        last_success_at: "2026-11-24T01:02:59.880Z",
        age_s: 10.5,
        size_bytes: 5,
        item_count: 2,
        error: null,
      },
      {
        name: "p",
        kind: "path",
        status: "failed",
        max_age_h: 1,
        last_success_at: null,
        age_s: null,
        size_bytes: null,
        item_count: null,
        error: { code: "NOT_FOUND", message: "stat /x: ENOENT" },
      },
    ],
  });
  const out = new RowBuffers();
  backupsWriter.addRows(out, 3, new Date("2026-11-25T00:00:00Z"), data);
  expect(out.rowCount()).toBe(backupsWriter.rowCount(data));
  const lines = new TextDecoder().decode(out.copyData("backup_probe_results")).trimEnd().split("\n");
  expect(lines.map((l) => l.split("\t").length)).toEqual([9, 9]);
  expect(BACKUPS_TABLES.backup_probe_results.columns).toHaveLength(9);
  expect(lines[1]?.split("\t").slice(2)).toEqual(["p", "path", "failed", "\\N", "\\N", "\\N", "NOT_FOUND"]);
});
