import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { LogsDataSchema } from "./schema.ts";

/** The logs domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const logsDomain = {
  name: "logs",
  schema: LogsDataSchema,
  /** New journal and syslog lines since the last read, every minute. */
  intervalMs: 60_000,
} as const satisfies DomainSpec;
