import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { z } from "zod";
import type { AgentConfig } from "../config.ts";

/**
 * Settings of one domain beyond `enabled` and `interval_s`, e.g. the docker socket's path. `env` lists
 * the variables that override a key, like the agent's other settings.
 */
export interface DomainOptionsSpec<S extends z.ZodObject = z.ZodObject> {
  /** A strict object whose every key has a default: an absent section means "the defaults". */
  schema: S;
  env: readonly { env: string; key: string; kind: "string" | "number" | "boolean" }[];
}

/**
 * What a parser reads stamps without a year or zone against (RFC 3164 syslog): `agent parse` leaves it
 * out (this host's clock and zone), the test-case walker passes a fixed one so expected.json never ages.
 */
export interface ParseClock {
  now: Date;
  zone: "local" | "utc";
}

/** One parser `agent parse` can run: text of a captured output in, normalized value out. */
export interface ParseSource {
  /** What to feed it, e.g. "smartctl -a -j /dev/sda". */
  describe: string;
  parse(text: string, clock?: ParseClock): unknown;
}

export type ParseSources = Readonly<Record<string, ParseSource>>;

/**
 * What the agent needs of a domain: one per domain in shared/domains/<domain>/agent/, listed in
 * shared/domains/agent.ts. The agent runs `build` with its local executor; the MCP server's live
 * fallback runs the same collector over SSH.
 */
export interface AgentDomain<D extends Domain> {
  readonly domain: D;
  /** Settings beyond enabled and interval_s, when the domain has any. */
  readonly options?: DomainOptionsSpec;
  /** The parsers `agent parse <domain> <source>` runs, by source name. */
  readonly parseSources: ParseSources;
  build(config: AgentConfig, executor: Executor): Collector<D>;
}
