/**
 * No drive sets its own trip point this low; a limit below it is a placeholder. Virtual disks (QEMU,
 * VirtIO, VMware, RAID volumes) and some USB bridges answer the SCSI temperature query with 0 C and a
 * trip of 0 C: "no sensor", which must neither be judged (35 C >= 0 C is not "too hot") nor drawn.
 */
const MIN_PLAUSIBLE_LIMIT_C = 20;
const MAX_PLAUSIBLE_LIMIT_C = 150;

export interface DriveTemperature {
  temperature_c: number | null;
  temperature_limit_c: number | null;
}

/** A limit outside what any drive uses is absent; a reading of 0 with no plausible limit is absent. */
export function plausibleTemperature(current: number | null, limit: number | null): DriveTemperature {
  const temperature_limit_c =
    limit !== null && limit >= MIN_PLAUSIBLE_LIMIT_C && limit <= MAX_PLAUSIBLE_LIMIT_C ? limit : null;
  const temperature_c = current === 0 && temperature_limit_c === null ? null : current;
  return { temperature_c, temperature_limit_c };
}
