import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { InventoryDataSchema } from "./schema.ts";

/** The inventory domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const inventoryDomain = {
  name: "inventory",
  schema: InventoryDataSchema,
  /** Hardware and OS identity change rarely. */
  intervalMs: 6 * 3600 * 1000,
} as const satisfies DomainSpec;
