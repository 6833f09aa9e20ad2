import { sourceResultSchema } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";

/**
 * The `ups` domain: the UPS units Network UPS Tools (NUT) watches on a host, as `upsc -l` lists them and
 * `upsc <name>` describes each. Figures keep NUT's units with the unit in the name; a variable the
 * driver does not publish is null.
 */

/**
 * A NUT UPS name as upsd.conf/ups.conf allow it (letters, digits, `_`, `-`, `.`), never starting with
 * `-` so that it cannot be taken for an option of upsc. Anything else never reaches a command.
 */
export const UPS_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/;

const text = z.string().max(256).nullable();
const figure = z.number().finite().nullable();

export const UpsSchema = z.object({
  name: z.string().regex(UPS_NAME),
  /** `ups.status` as NUT says it: space-separated flags such as `OL CHRG`, `OB DISCHRG`, `OL RB`. */
  status: z.string().max(256),
  /** `ups.alarm`: the driver's alarm text, when it has one. */
  alarm: text,
  battery_charge_pct: z.number().min(0).max(100).nullable(),
  battery_runtime_s: z.number().nonnegative().finite().nullable(),
  battery_voltage_v: figure,
  load_pct: z.number().nonnegative().max(1000).nullable(),
  input_voltage_v: figure,
  output_voltage_v: figure,
  /** `ups.temperature`, else `battery.temperature`: the unit's own reading, not an ambient probe. */
  temperature_c: figure,
  /** `device.model`, else `ups.model`. */
  model: text,
  /** `device.mfr`, else `ups.mfr`. */
  mfr: text,
  /** `device.serial`, else `ups.serial`. */
  serial: text,
});
export type Ups = z.infer<typeof UpsSchema>;

export const UpsDataSchema = z.object({
  /** `upsc -l` and one `upsc <name>` per UPS: a UPS that cannot be read is an item error. */
  upsc: sourceResultSchema(z.array(UpsSchema).max(64)),
});
export type UpsData = z.infer<typeof UpsDataSchema>;
