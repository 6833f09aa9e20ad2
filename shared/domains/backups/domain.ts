import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { BackupsDataSchema } from "./schema.ts";

/** The backups domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const backupsDomain = {
  name: "backups",
  schema: BackupsDataSchema,
  /** Backups run hourly or daily; a quarter hour is late enough to notice a missed one. */
  intervalMs: 15 * 60_000,
} as const satisfies DomainSpec;
