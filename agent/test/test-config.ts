import { type Domain, DomainSchemas } from "@infrastructor/shared/domains.ts";
import type { AgentConfig } from "../src/config.ts";

/** A config for in-process agent tests: local test NATS, a temp spool, short ack timeout. */
export function testConfig(options: {
  host: string;
  natsUrl: string;
  spoolDir: string;
  maxBytes?: number;
}): AgentConfig {
  return {
    host: options.host,
    nats: { servers: [options.natsUrl], credsFile: null, token: null, caFile: null, ackTimeoutMs: 500 },
    spool: { dir: options.spoolDir, maxBytes: options.maxBytes ?? 8 * 1024 * 1024 },
    // Every domain, so adding one to DomainSchemas needs no edit here.
    domains: Object.fromEntries(
      (Object.keys(DomainSchemas) as Domain[]).map((d) => [
        d,
        { enabled: false, intervalMs: null, options: {} },
      ]),
    ) as AgentConfig["domains"],
    roots: { proc: "/proc", sys: "/sys", host: "/" },
    logLevel: "silent",
    configFile: null,
  };
}
