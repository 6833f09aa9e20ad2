import { expect, test } from "bun:test";
import { decodeMessage } from "@infrastructor/collector/ingest/decode.ts";
import { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import { systemData, systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { addSystemRows, SYSTEM_TABLES, systemRowCount } from "./writer.ts";

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

test("item errors decode and travel in the payload latest_state stores; rows are the items that were read", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  const envelope = systemEnvelope("web1", 1, now);
  const itemError = {
    name: "sdb",
    error: {
      code: "PARSE_FAILED",
      message: "/proc/diskstats: sdb: counter 5 is not a number (line 47)",
      line: 47,
      excerpt: "8 16 sdb 1 x",
    },
  };
  const data = { ...(envelope.data as object), item_errors: { disks: [itemError] } };
  const limits = { maxMessageBytes: 64 * 1024, maxFutureSkewMs: 60_000, maxPastAgeMs: 86_400_000 };
  const decoded = decodeMessage(
    "infra.v1.web1.system",
    new TextEncoder().encode(JSON.stringify({ ...envelope, data })),
    limits,
    now,
  );
  expect(decoded.kind).toBe("accepted");
  if (decoded.kind !== "accepted") return;
  // latest_state's payload is envelope.data as decoded: the item errors are in it.
  expect((decoded.envelope.data as { item_errors?: unknown }).item_errors).toEqual({ disks: [itemError] });
  const out = new RowBuffers();
  addSystemRows(out, 1, at, decoded.envelope.data as Parameters<typeof addSystemRows>[3]);
  expect(out.rowCount()).toBe(systemRowCount(decoded.envelope.data as Parameters<typeof systemRowCount>[0]));
  // An older agent's sample, without the field, still decodes.
  const old = decodeMessage(
    "infra.v1.web1.system",
    new TextEncoder().encode(JSON.stringify(envelope)),
    limits,
    now,
  );
  expect(old.kind).toBe("accepted");
});
