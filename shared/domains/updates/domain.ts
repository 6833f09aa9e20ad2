import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { UpdatesDataSchema } from "./schema.ts";

/** The updates domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const updatesDomain = {
  name: "updates",
  schema: UpdatesDataSchema,
  /** Package lists change a few times a day. */
  intervalMs: 6 * 3_600_000,
} as const satisfies DomainSpec;
