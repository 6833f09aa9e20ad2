import { float4, int4, text, timestamptz } from "@infrastructor/lib/db/column.ts";
import { table } from "@infrastructor/lib/db/table.ts";

/** Whether upsc answered in the newest envelope, per device (migration 2026-12-02-60). */
export const upsState = table(
  "ups_state",
  {
    device_id: int4(),
    collected_at: timestamptz(),
    upsc_status: text<"ok" | "failed">(),
    upsc_error: text().nullable(),
  },
  { kind: "state", primaryKey: ["device_id"] },
);

/** The UPS units of each device's newest listing that worked. */
export const upsDevices = table(
  "ups_devices",
  {
    device_id: int4(),
    ups: text(),
    model: text().nullable(),
    mfr: text().nullable(),
    serial: text().nullable(),
    status: text(),
    updated_at: timestamptz(),
  },
  { kind: "state", primaryKey: ["device_id", "ups"] },
);

export const upsMetrics = table(
  "ups_metrics",
  {
    time: timestamptz(),
    device_id: int4(),
    ups: text(),
    status: text(),
    battery_charge_pct: float4().nullable(),
    battery_runtime_s: float4().nullable(),
    load_pct: float4().nullable(),
    input_voltage_v: float4().nullable(),
    output_voltage_v: float4().nullable(),
    battery_voltage_v: float4().nullable(),
    temperature_c: float4().nullable(),
  },
  {
    kind: "timeseries",
    primaryKey: ["device_id", "ups", "time"],
    retention: { keep: "raw", by: "time" },
  },
);

export const UPS_TABLE_DECLARATIONS = [upsState, upsDevices, upsMetrics] as const;
