import { SMART_EXIT_FLAGS, type SmartExitFlag } from "../schema.ts";

/** smartctl's exit status as named flags, bit 0 first (smartctl(8) RETURN VALUES). */
export function decodeExitStatus(status: number): SmartExitFlag[] {
  return SMART_EXIT_FLAGS.filter((_, bit) => (status & (1 << bit)) !== 0);
}
