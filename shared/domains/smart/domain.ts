import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { SmartDataSchema } from "./schema.ts";

/** The smart domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const smartDomain = {
  name: "smart",
  schema: SmartDataSchema,
  /** SMART attributes move over days, and a read wakes sleeping disks: hourly. */
  intervalMs: 3_600_000,
} as const satisfies DomainSpec;
