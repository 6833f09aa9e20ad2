import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { SystemDataSchema } from "./schema.ts";

/** The system domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const systemDomain = {
  name: "system",
  schema: SystemDataSchema,
  /** CPU, memory, load, disks, filesystems, network counters and sensors change by the second; 15 s keeps graphs smooth without flooding the database. */
  intervalMs: 15_000,
} as const satisfies DomainSpec;
