import type { SmartReading } from "../schema.ts";
import type { DeviceRef } from "./device-ref.ts";

/**
 * What one smartctl run of one device said, before it is judged: a reading, a sleeping disk it did
 * not wake, or no data at all (device not opened, type not detected) with smartctl's own message.
 * `device`: the path and -d type the output itself names (JSON's top-level `device` object); null
 * when it names none (plain text, or a device smartctl could not open).
 */
export type SmartctlResult = (
  | { kind: "reading"; version: string | null; exit_status: number | null; reading: SmartReading }
  | { kind: "standby"; version: string | null; exit_status: number | null }
  | { kind: "no_data"; version: string | null; exit_status: number | null; message: string }
) & { device?: DeviceRef | null };

/** smartctl's own words for a disk it left asleep because of `-n standby` (or sleep/idle). */
export const STANDBY_MESSAGE = /Device is in (STANDBY|SLEEP|IDLE\w*) mode/i;
