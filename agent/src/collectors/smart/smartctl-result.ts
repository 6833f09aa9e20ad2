import type { SmartReading } from "@infrastructor/shared/schemas/smart.ts";

/**
 * What one smartctl run of one device said, before it is judged: a reading, a sleeping disk it did
 * not wake, or no data at all (device not opened, type not detected) with smartctl's own message.
 */
export type SmartctlResult =
  | { kind: "reading"; version: string | null; exit_status: number | null; reading: SmartReading }
  | { kind: "standby"; version: string | null; exit_status: number | null }
  | { kind: "no_data"; version: string | null; exit_status: number | null; message: string };

/** smartctl's own words for a disk it left asleep because of `-n standby` (or sleep/idle). */
export const STANDBY_MESSAGE = /Device is in (STANDBY|SLEEP|IDLE\w*) mode/i;
