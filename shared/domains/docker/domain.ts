import type { DomainSpec } from "@infrastructor/shared/domain-spec.ts";
import { DockerDataSchema } from "./schema.ts";

/** The docker domain: its wire schema and how often the agent collects it (README.md says what and how). */
export const dockerDomain = {
  name: "docker",
  schema: DockerDataSchema,
  /** Containers start, stop and restart within seconds; 30 s catches a restart loop. */
  intervalMs: 30_000,
} as const satisfies DomainSpec;
