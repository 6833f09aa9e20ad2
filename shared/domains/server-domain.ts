import type { DomainWriter } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import type { ToolDefinition } from "@infrastructor/mcp/tools/tool.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";

/**
 * What the collector and the MCP server need of a domain: one per domain in
 * shared/domains/<domain>/server/, listed in shared/domains/server.ts. The agent never imports this
 * half (agent/test/agent-imports.test.ts holds it).
 */
export interface ServerDomain<D extends Domain> {
  readonly domain: D;
  /** How the domain's envelopes reach its tables (latest_state keeps every payload regardless). */
  readonly writer: DomainWriter<D>;
  /** The MCP tools answering from this domain, each keeping its own argument types. */
  readonly tools: readonly unknown[];
  /** Its health rules, when it has any: the fleet check, the device status resource and alerts share them. */
  readonly health?: DomainHealth<D>;
}

/** A domain's tools as the MCP server handles them all alike. */
export function toolsOf(server: ServerDomain<Domain>): readonly ToolDefinition[] {
  return server.tools as ToolDefinition[];
}
