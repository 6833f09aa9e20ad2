import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { VmsDataSchema } from "./schema.ts";

/** The vms domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const vmsDomain = {
  name: "vms",
  schema: VmsDataSchema,
  /** VMs and LXC containers start and stop within a minute. */
  intervalMs: 60_000,
} as const satisfies DomainSpec;
