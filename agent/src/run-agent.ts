import { isKnownDomain } from "@infrastructor/shared/domains.ts";
import { hostInboxPrefix } from "@infrastructor/shared/subjects.ts";
import type { AgentConfig } from "./config.ts";
import { createEnvelopeFactory } from "./envelope-factory.ts";
import type { Logger } from "./logger.ts";
import { startPolling } from "./poll-loop.ts";
import { NatsLink } from "./publish/nats-link.ts";
import { Publisher, type PublisherStats } from "./publish/publisher.ts";
import { Spool } from "./publish/spool.ts";
import type { PollCollector } from "./safe-collect.ts";
import { AGENT_VERSION } from "./version.ts";

export interface StartAgentOptions {
  config: AgentConfig;
  collectors: PollCollector[];
  logger: Logger;
}

export interface RunningAgent {
  readonly bootId: string;
  stats(): PublisherStats;
  /** Stops polling, finishes in-flight publishes, leaves the rest in the spool, closes NATS. */
  stop(): Promise<void>;
}

/** Bounds for a clean stop, so SIGTERM ends the agent within seconds even with NATS or a disk hung. */
const POLL_GRACE_MS = 1_500;
const DRAIN_TIMEOUT_MS = 1_500;

/**
 * The running agent: spool (with whatever an earlier run left), NATS link, publisher and poll loop.
 * Returns at once; NATS may connect much later, and samples are spooled until it does.
 */
export function startAgent(options: StartAgentOptions): RunningAgent {
  const { config, logger } = options;
  const spool = Spool.open({ dir: config.spool.dir, maxBytes: config.spool.maxBytes });
  if (!spool.isEmpty || spool.dropped > 0) {
    logger.info(
      { spooled: spool.size, dropped: spool.dropped },
      "found envelopes of an earlier run in the spool",
    );
  }
  const link = NatsLink.start({
    servers: config.nats.servers,
    token: config.nats.token,
    credsFile: config.nats.credsFile,
    caFile: config.nats.caFile,
    inboxPrefix: hostInboxPrefix(config.host),
    logger,
  });
  const publisher = new Publisher({ link, spool, logger, ackTimeoutMs: config.nats.ackTimeoutMs });
  const factory = createEnvelopeFactory({ host: config.host });
  let accepting = true;
  const entries = options.collectors.map((collector) => ({
    collector,
    intervalMs:
      (isKnownDomain(collector.domain) ? config.domains[collector.domain].intervalMs : null) ??
      collector.defaultIntervalMs,
  }));
  const loop = startPolling({
    entries,
    onResult(domain, result, collectedAt): void {
      if (!accepting) {
        logger.warn({ domain }, "a poll finished after shutdown; its sample is not kept");
        return;
      }
      publisher.submit(factory.build(domain, result, collectedAt));
    },
    logger,
  });
  logger.info(
    {
      host: config.host,
      boot_id: factory.bootId,
      version: AGENT_VERSION,
      domains: entries.map((e) => ({ domain: e.collector.domain, interval_ms: e.intervalMs })),
      nats: config.nats.servers,
      spool: config.spool.dir,
    },
    "agent started",
  );
  return {
    bootId: factory.bootId,
    stats: () => publisher.stats(),
    async stop(): Promise<void> {
      await loop.stop(POLL_GRACE_MS);
      accepting = false;
      await publisher.close();
      await link.close(DRAIN_TIMEOUT_MS);
      logger.info(publisher.stats(), "agent stopped");
    },
  };
}
