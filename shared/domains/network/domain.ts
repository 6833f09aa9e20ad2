import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { NetworkDataSchema } from "./schema.ts";

/** The network domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const networkDomain = {
  name: "network",
  schema: NetworkDataSchema,
  /** Interfaces, addresses and routes change rarely. */
  intervalMs: 5 * 60 * 1000,
} as const satisfies DomainSpec;
