import type { z } from "zod";

/**
 * What every program knows of a domain without running any of it: its name, the schema of its
 * `data` (the collector rejects anything else), and the agent's default interval (the MCP server and
 * `infra status` judge staleness by it). Each domain declares one in shared/domains/<domain>/domain.ts.
 */
export interface DomainSpec {
  readonly name: string;
  readonly schema: z.ZodType;
  readonly intervalMs: number;
}
