import { type DomainWriter, timeSeriesTable } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { LogsData } from "../schema.ts";
import { logs } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order, 14 days. */
export const LOGS_TABLES = {
  logs: timeSeriesTable(logs),
};

export const logsWriter: DomainWriter<"logs"> = {
  domain: "logs",
  tables: Object.values(LOGS_TABLES),
  rowCount: (data) => (data.read.ok ? data.read.entries.length : 0),
  addRows: addLogRows,
};

/**
 * One row per entry, at the entry's own time. The batch's earliest time (where the rollup refresh
 * starts) is the envelope's: an old log line must not make the system rollups recompute its day.
 */
export function addLogRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: LogsData): void {
  if (!data.read.ok || data.read.entries.length === 0) return;
  const line = LOGS_TABLES.logs.line;
  let lines = "";
  for (const e of data.read.entries) {
    lines += line({
      time: e.time,
      device_id: deviceId,
      entry_id: e.entry_id,
      source: data.source,
      priority: e.priority,
      facility: e.facility,
      hostname: e.hostname,
      unit: e.unit,
      identifier: e.identifier,
      pid: e.pid,
      message: e.message,
    });
  }
  out.append("logs", collectedAt.getTime(), lines, data.read.entries.length);
}
