import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { ZfsDataSchema } from "./schema.ts";

/** The zfs domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const zfsDomain = {
  name: "zfs",
  schema: ZfsDataSchema,
  /** Pool health and capacity change slowly; scrubs run for hours. */
  intervalMs: 5 * 60_000,
} as const satisfies DomainSpec;
