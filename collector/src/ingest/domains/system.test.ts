import { expect, test } from "bun:test";
import { systemData } from "../../../../test/support/envelopes.ts";
import { RowBuffers } from "../row-buffers.ts";
import { addSystemRows, SYSTEM_TABLES, systemRowCount } from "./system.ts";

const at = new Date("2026-11-25T10:00:00.000Z");

test("every line has exactly the columns of its table, in order", () => {
  const out = new RowBuffers();
  addSystemRows(out, 42, at, systemData(3));
  for (const table of out.tables()) {
    const lines = out.copyData(table.name).toString().split("\n").filter(Boolean);
    expect(lines.length).toBe(out.rowCount(table.name));
    for (const line of lines) {
      const fields = line.split("\t");
      expect([table.name, fields.length]).toEqual([table.name, table.columns.length]);
      expect(fields.slice(0, 2)).toEqual(["2026-11-25T10:00:00.000Z", "42"]);
    }
  }
  expect(out.rowCount()).toBe(systemRowCount(systemData(3)));
});

test("values land in their columns; absent cpu and limits are NULL; text is escaped", () => {
  const data = { ...systemData(1), cpu: null };
  data.mounts = [{ ...data.mounts[0], mountpoint: "/mnt/odd\tname" } as (typeof data.mounts)[number]];
  data.temperatures = [{ sensor: "acpitz/temp1", temp_c: 27.8, high_c: null, critical_c: 105 }];
  const out = new RowBuffers();
  addSystemRows(out, 7, at, data);
  const column = (table: keyof typeof SYSTEM_TABLES, name: string): string | undefined =>
    out.copyData(table).toString().split("\n")[0]?.split("\t")[
      (SYSTEM_TABLES[table].columns as readonly string[]).indexOf(name)
    ];
  expect(column("system_metrics", "cpu_pct")).toBe("\\N");
  expect(column("system_metrics", "mem_used_bytes")).toBe(String(data.memory.used_bytes));
  expect(column("system_metrics", "process_count")).toBe(String(data.process_count));
  expect(column("disk_usage", "mountpoint")).toBe("/mnt/odd\\tname");
  expect(column("disk_usage", "free_bytes")).toBe(String(data.mounts[0]?.free_bytes));
  expect(column("temperatures", "high_c")).toBe("\\N");
  expect(column("temperatures", "critical_c")).toBe("105");
  expect(out.earliestMs).toBe(at.getTime());
});
