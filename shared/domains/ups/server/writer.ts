import {
  type DomainWriter,
  type StateItem,
  timeSeriesTable,
} from "@infrastructor/collector/ingest/domain-writer.ts";
import type { RowBuffers } from "@infrastructor/collector/ingest/row-buffers.ts";
import { insertFromJson, recordsetColumns } from "@infrastructor/lib/db/recordset.ts";
import type { TransactionSql } from "postgres";
import type { UpsData } from "../schema.ts";
import { upsDevices, upsMetrics, upsState } from "./tables.ts";

/** The time series this writer appends to, from its declaration (tables.ts): columns, line order. */
export const UPS_METRICS = timeSeriesTable(upsMetrics);

export const upsWriter: DomainWriter<"ups"> = {
  domain: "ups",
  tables: [UPS_METRICS],
  rowCount: (data) => (data.upsc.ok ? data.upsc.value.length : 0),
  addRows: addUpsRows,
  writeState: writeUpsState,
};

export function addUpsRows(out: RowBuffers, deviceId: number, collectedAt: Date, data: UpsData): void {
  if (!data.upsc.ok || data.upsc.value.length === 0) return;
  const time = collectedAt.toISOString();
  let lines = "";
  for (const u of data.upsc.value) {
    lines += UPS_METRICS.line({
      time,
      device_id: deviceId,
      ups: u.name,
      status: u.status,
      battery_charge_pct: u.battery_charge_pct,
      battery_runtime_s: u.battery_runtime_s,
      load_pct: u.load_pct,
      input_voltage_v: u.input_voltage_v,
      output_voltage_v: u.output_voltage_v,
      battery_voltage_v: u.battery_voltage_v,
      temperature_c: u.temperature_c,
    });
  }
  out.append("ups_metrics", collectedAt.getTime(), lines, data.upsc.value.length);
}

/**
 * ups_state first, guarded by collected_at (an older envelope changes nothing); then, for the devices
 * it wrote whose listing worked, the units are replaced (a failed listing keeps the previous ones).
 */
export async function writeUpsState(tx: TransactionSql, items: StateItem<"ups">[]): Promise<void> {
  if (items.length === 0) return;
  const states = items.map(({ deviceId, collectedAt, data }) => ({
    device_id: deviceId,
    collected_at: collectedAt.toISOString(),
    upsc_status: data.upsc.ok ? "ok" : "failed",
    upsc_error: data.upsc.ok ? null : `${data.upsc.error.code}: ${data.upsc.error.message}`,
  }));
  const written = await tx.unsafe<{ device_id: number }[]>(
    `INSERT INTO ups_state AS s SELECT * FROM json_to_recordset($1::text::json) AS v(${recordsetColumns(upsState)})
     ORDER BY device_id
     ON CONFLICT (device_id) DO UPDATE SET collected_at = EXCLUDED.collected_at,
       upsc_status = EXCLUDED.upsc_status, upsc_error = EXCLUDED.upsc_error
     WHERE s.collected_at < EXCLUDED.collected_at
     RETURNING s.device_id`,
    [JSON.stringify(states)],
  );
  const fresh = new Set(written.map((r) => r.device_id));
  const replace = items.filter((i) => fresh.has(i.deviceId) && i.data.upsc.ok);
  if (replace.length === 0) return;
  await tx`DELETE FROM ups_devices WHERE device_id = ANY(${replace.map((i) => i.deviceId)}::int[])`;
  const rows = replace.flatMap(({ deviceId, collectedAt, data }) =>
    data.upsc.ok
      ? data.upsc.value.map((u) => ({
          device_id: deviceId,
          ups: u.name,
          model: u.model,
          mfr: u.mfr,
          serial: u.serial,
          status: u.status,
          updated_at: collectedAt.toISOString(),
        }))
      : [],
  );
  if (rows.length === 0) return;
  // The statement's text is the declaration's names and types only; the rows travel as one parameter.
  await tx.unsafe(insertFromJson(upsDevices), [JSON.stringify(rows)]);
}
