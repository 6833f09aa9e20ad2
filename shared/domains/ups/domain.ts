import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { UpsDataSchema } from "./schema.ts";

/** The ups domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const upsDomain = {
  name: "ups",
  schema: UpsDataSchema,
  /** A UPS reports a power cut at once; a minute is soon enough to see it before the battery runs out. */
  intervalMs: 60_000,
} as const satisfies DomainSpec;
