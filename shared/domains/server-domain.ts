import type { DomainWriter } from "@infrastructor/collector/ingest/domain-writer.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import type { ToolDefinition } from "@infrastructor/mcp/tools/tool.ts";
import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";

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
  /**
   * The fleet check's rules judged from the domain's stored (or live) payload alone, with the same
   * Finding shape and severity model (mcp/src/tools/fleet/severity.ts): analyze_infrastructure_health
   * and the device status resource call it for every domain that has it. Rules that read history from
   * the tables (docker's restart loops, system's fill forecast) stay in the fleet check itself.
   */
  readonly findings?: (p: Provenance, data: DomainData<D>) => JudgedFinding[];
}

/** A domain's payload findings as the fleet check calls them all alike (none: an empty list). */
export function payloadFindings(server: object, p: Provenance, data: unknown): JudgedFinding[] {
  if (!("findings" in server) || typeof server.findings !== "function") return [];
  return (server.findings as (p: Provenance, data: unknown) => JudgedFinding[])(p, data);
}

/** A domain's tools as the MCP server handles them all alike. */
export function toolsOf(server: Pick<ServerDomain<Domain>, "tools">): readonly ToolDefinition[] {
  return server.tools as ToolDefinition[];
}
