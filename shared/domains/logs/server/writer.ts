import { copyNumber as n, copyText as t } from "@infrastructor/collector/ingest/copy-text.ts";
import type { DomainWriter, TimeSeriesTableSpec } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import type { LogsData } from "../schema.ts";

const DAY_MS = 86_400_000;

export const LOGS_TABLES = {
  logs: {
    name: "logs",
    columns: [
      "time",
      "device_id",
      "entry_id",
      "source",
      "priority",
      "facility",
      "hostname",
      "unit",
      "identifier",
      "pid",
      "message",
    ],
    // Logs are for recent trouble; the TimescaleDB migration drops chunks after the same 14 days.
    retentionMs: 14 * DAY_MS,
  },
} as const satisfies Record<string, TimeSeriesTableSpec>;

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
  let lines = "";
  for (const e of data.read.entries) {
    lines += `${e.time}\t${deviceId}\t${t(e.entry_id)}\t${data.source}\t${n(e.priority)}\t${n(e.facility)}\t${t(e.hostname)}\t${t(e.unit)}\t${t(e.identifier)}\t${n(e.pid)}\t${t(e.message)}\n`;
  }
  out.append("logs", collectedAt.getTime(), lines, data.read.entries.length);
}
