import { int4, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/**
 * The log entries (sql/migrations/2026-11-25-15-logs.*). Logs are for recent trouble: kept 14 days
 * (the TimescaleDB migration drops chunks after the same 14 days).
 */
export const logs = table(
  "logs",
  {
    time: timestamptz(),
    device_id: int4(),
    entry_id: text(),
    source: text<"journal" | "syslog">(),
    priority: int4().nullable(),
    facility: int4().nullable(),
    hostname: text(),
    unit: text(),
    identifier: text(),
    pid: int4().nullable(),
    message: text(),
  },
  {
    kind: "timeseries",
    primaryKey: ["device_id", "time", "entry_id"],
    retention: { keep: { days: 14 }, by: "time" },
  },
);

export const LOGS_TABLE_DECLARATIONS = [logs] as const;
