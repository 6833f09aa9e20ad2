import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The collector's Prometheus metrics, on a registry of its own (tests run several collectors). */
export interface CollectorMetrics {
  registry: Registry;
  messages: Counter<"domain" | "outcome">;
  rows: Counter<"mode">;
  rejects: Counter<"reason">;
  hostRejects: Counter<"host" | "outcome">;
  backlogAge: Gauge;
  batchSeconds: Histogram<"mode">;
  batchFailures: Counter<"kind">;
  consumerPending: Gauge<"state">;
}

export function createMetrics(): CollectorMetrics {
  const registry = new Registry();
  return {
    registry,
    messages: new Counter({
      name: "infra_ingest_messages_total",
      help: "Telemetry messages handled, by domain and outcome (stored or rejected)",
      labelNames: ["domain", "outcome"],
      registers: [registry],
    }),
    rows: new Counter({
      name: "infra_ingest_rows_total",
      help: "Time-series rows committed, by write mode (copy, or merge after a redelivery)",
      labelNames: ["mode"],
      registers: [registry],
    }),
    rejects: new Counter({
      name: "infra_ingest_rejects_total",
      help: "Messages refused, by reason (stored in ingest_rejects or, past a host's budget, counted only)",
      labelNames: ["reason"],
      registers: [registry],
    }),
    hostRejects: new Counter({
      name: "infra_ingest_host_rejects_total",
      help: "Messages refused per host (devices this collector stored data from, at most 1000; else other) and outcome: stored in ingest_rejects, or counted only past INGEST_REJECTS_PER_HOST_MINUTE",
      labelNames: ["host", "outcome"],
      registers: [registry],
    }),
    backlogAge: new Gauge({
      name: "infra_consumer_backlog_age_seconds",
      help: "Age of the oldest message the consumer has not acked yet (0 when the backlog is empty)",
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: "infra_ingest_batch_duration_seconds",
      help: "Time to write and commit one batch",
      labelNames: ["mode"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchFailures: new Counter({
      name: "infra_ingest_batch_failures_total",
      help: "Batches that could not be committed, by kind (unavailable: database unreachable, writes paused; bad_data: written message by message; retry; internal; short_write: the database reported success for rows it did not write)",
      labelNames: ["kind"],
      registers: [registry],
    }),
    consumerPending: new Gauge({
      name: "infra_consumer_pending_messages",
      help: "JetStream consumer backlog: pending (not yet delivered) and ack_pending (delivered, not acked)",
      labelNames: ["state"],
      registers: [registry],
    }),
  };
}
