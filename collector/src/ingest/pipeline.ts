import { classifyDbError } from "@infrastructor/lib/db/classify-db-error.ts";
import { isKnownDomain } from "@infrastructor/shared/domains.ts";
import { parseTelemetrySubject } from "@infrastructor/shared/subjects.ts";
import type { JsMsg } from "nats";
import type { Sql } from "postgres";
import type { Logger } from "../logger.ts";
import type { CollectorMetrics } from "../metrics.ts";
import { type Accepted, type DecodeLimits, decodeMessage, RejectReason } from "./decode.ts";
import type { DeviceRegistry } from "./device-registry.ts";
import { LatestStateWriter } from "./latest-state-writer.ts";
import { ShortWriteError } from "./merge-in.ts";
import { RejectSampler } from "./reject-sampler.ts";
import type { WriteResult } from "./write-batch.ts";
import { HELD_BACK_DELAY_MS, type Pending, writeIsolating, writeRejects } from "./write-isolating.ts";
import { writerFor } from "./writers.ts";

export interface PipelineOptions {
  sql: Sql;
  devices: DeviceRegistry;
  limits: DecodeLimits;
  batchRows: number;
  batchWaitMs: number;
  writers: number;
  /** See LatestStateWriter: shortest time between two latest_state writes. */
  latestIntervalMs: number;
  /** Rejects stored per host and minute (see RejectSampler). */
  rejectsPerHostMinute: number;
  /** Longest nak delay and database probe interval while every write fails; INGEST_RETRY_MAX, 15 s. */
  retryMaxMs?: number;
  metrics: CollectorMetrics;
  log: Logger;
  /** Told the earliest sample time of every committed batch (the rollup refresh starts there). */
  onCommitted?: (earliestMs: number) => void;
}

/** Committed batches that may wait for their latest-state write at once (8 throttled bench/ingest by 15%). */
const MAX_SETTLING_BATCHES = 32;
/** Longest nak delay and database probe interval while the database is down (INGEST_RETRY_MAX). */
const DEFAULT_MAX_BACKOFF_MS = 15_000;

/**
 * Groups messages into batches bounded by rows and by time, writes each in one transaction with up to
 * `writers` in flight, and only then acks (stored) or terms (rejected). When the database is down the
 * batch is nak'ed with a growing delay and no new batch is written until the database answers again.
 */
export class IngestPipeline {
  private current: Pending = emptyBatch();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  /** Batches committed whose latest-state write and acks are still pending. */
  private readonly settling = new Set<Promise<void>>();
  private backoffMs = 0;
  private dbRecovered: Promise<void> | null = null;
  private readonly latest: LatestStateWriter;
  private readonly sampler: RejectSampler;
  /** The message of each accepted envelope, while the latest-state writer may hand it back as refused. */
  private readonly msgOf = new WeakMap<Accepted, JsMsg>();

  constructor(private readonly o: PipelineOptions) {
    this.latest = new LatestStateWriter(o.sql, o.latestIntervalMs);
    this.sampler = new RejectSampler({
      perHostMinute: o.rejectsPerHostMinute,
      metrics: o.metrics,
      isKnownHost: (host) => o.devices.knows(host),
    });
  }

  /** Adds one message; resolves when the pipeline can take the next (backpressure for the consumer loop). */
  async add(msg: JsMsg): Promise<void> {
    const decoded = decodeMessage(msg.subject, msg.data, this.o.limits, Date.now());
    const batch = this.current;
    if (decoded.kind === "accepted") {
      batch.accepted.push(decoded);
      batch.acceptedMsgs.push(msg);
      this.msgOf.set(decoded, msg);
      batch.rows += rowCountOf(decoded);
    } else {
      const reject = this.sampler.admit(msg, decoded.reason, decoded.detail);
      if (reject === null) {
        msg.term(); // past the host's budget: counted, nothing to store
        return;
      }
      batch.rejects.push(reject);
      batch.rejectMsgs.push(msg);
      batch.rows += 1;
    }
    if (batch.rows >= this.o.batchRows) await this.flush();
    else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.o.batchWaitMs);
  }

  /** Hands the current batch to a writer; waits while all writers are busy. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.current;
    if (batch.acceptedMsgs.length + batch.rejectMsgs.length === 0) return;
    this.current = emptyBatch();
    // Bounded: committed batches waiting for their latest-state write hold their messages until the
    // acks, so their number is capped too (memory stays flat during a catch-up).
    while (this.inFlight.size >= this.o.writers || this.settling.size >= MAX_SETTLING_BATCHES) {
      await Promise.race([...this.inFlight, ...this.settling]);
    }
    const job = this.write(batch).finally(() => this.inFlight.delete(job));
    this.inFlight.add(job);
  }

  /** Flushes what is buffered and waits for every write to finish (shutdown). */
  async drain(): Promise<void> {
    await this.flush();
    while (this.inFlight.size > 0 || this.settling.size > 0)
      await Promise.all([...this.inFlight, ...this.settling]);
  }

  /**
   * Holds a writer slot only for the time-series transaction. The latest-state write and the acks
   * follow outside the slot, so while one latest-state write runs, several batches' entries coalesce.
   */
  private async write(batch: Pending): Promise<void> {
    if (this.dbRecovered) await this.dbRecovered;
    const started = performance.now();
    let result: WriteResult;
    try {
      result = await writeIsolating(
        this.o.sql,
        this.o.devices,
        batch,
        (msg, detail) => this.sampler.admit(msg, RejectReason.DB_REJECTED, detail),
        Math.min(HELD_BACK_DELAY_MS, this.o.retryMaxMs ?? DEFAULT_MAX_BACKOFF_MS),
      );
    } catch (err) {
      this.failed(batch, err);
      return;
    }
    const latestWritten = this.latest.submit(batch.accepted, result.ids);
    // The latest-state writer kept what it needs; the decoded envelopes need not wait for the acks.
    const stored = countByDomain(batch.accepted);
    batch.accepted = [];
    const settle = latestWritten
      .then((refused) => this.rejectRefused(batch, refused))
      .then(() => {
        this.backoffMs = 0;
        for (const m of batch.acceptedMsgs) m.ack();
        for (const m of batch.rejectMsgs) m.term();
        this.record(batch, stored, result, (performance.now() - started) / 1000);
      })
      .catch((err: unknown) => this.failed(batch, err))
      .finally(() => this.settling.delete(settle));
    this.settling.add(settle);
  }

  /**
   * Envelopes whose time series committed but whose latest state the database refused (bad_data):
   * their messages become db_rejected rejects (terminated, not acked), the batch's others are acked.
   */
  private async rejectRefused(batch: Pending, refused: ReadonlySet<Accepted>): Promise<void> {
    if (refused.size === 0) return;
    const msgs = new Set<JsMsg>();
    for (const a of refused) {
      const msg = this.msgOf.get(a);
      if (msg !== undefined && batch.acceptedMsgs.includes(msg)) msgs.add(msg);
    }
    if (msgs.size === 0) return;
    const rejects = emptyBatch();
    for (const msg of msgs) {
      const reject = this.sampler.admit(msg, RejectReason.DB_REJECTED, "latest_state refused the envelope");
      if (reject !== null) rejects.rejects.push(reject);
    }
    await writeRejects(this.o.sql, this.o.devices, rejects);
    batch.acceptedMsgs = batch.acceptedMsgs.filter((m) => !msgs.has(m));
    batch.rejects.push(...rejects.rejects);
    batch.rejectMsgs.push(...msgs);
  }

  /**
   * Nothing of a failed batch is acked: nak with a growing delay. Only an unreachable database pauses
   * the writes until it answers again; a bug (internal) is retried without declaring an outage.
   */
  private failed(batch: Pending, err: unknown): void {
    const kind = err instanceof ShortWriteError ? "short_write" : classifyDbError(err);
    this.o.metrics.batchFailures.inc({ kind });
    this.backoffMs = Math.min(
      this.o.retryMaxMs ?? DEFAULT_MAX_BACKOFF_MS,
      Math.max(1000, this.backoffMs * 2),
    );
    if (err instanceof ShortWriteError) {
      // Loud: the engine reported success for rows it did not write. Retried, never acked; if it
      // persists, the database is losing data (TimescaleDB < 2.18.1: #7672).
      this.o.log.error(
        {
          ...err.count,
          messages: batch.acceptedMsgs.length + batch.rejectMsgs.length,
          retryInMs: this.backoffMs,
        },
        "short write detected: the database reported success for rows it did not write; batch not acked",
      );
    }
    this.o.log.warn(
      {
        err: String(err),
        kind,
        messages: batch.acceptedMsgs.length + batch.rejectMsgs.length,
        retryInMs: this.backoffMs,
      },
      "batch not written; messages nak'ed",
    );
    for (const m of [...batch.acceptedMsgs, ...batch.rejectMsgs]) m.nak(this.backoffMs);
    if (kind === "unavailable" && !this.dbRecovered) {
      this.dbRecovered = this.waitForDatabase().finally(() => {
        this.dbRecovered = null;
      });
    }
  }

  private record(batch: Pending, stored: Map<string, number>, result: WriteResult, seconds: number): void {
    const m = this.o.metrics;
    m.batchSeconds.observe({ mode: result.mode }, seconds);
    m.rows.inc({ mode: result.mode }, result.rows);
    for (const [domain, n] of stored) m.messages.inc({ domain, outcome: "stored" }, n);
    for (const r of batch.rejects) {
      m.messages.inc({ domain: domainLabel(r.subject), outcome: "rejected" });
      m.rejects.inc({ reason: r.reason });
    }
    if (Number.isFinite(result.earliestMs)) this.o.onCommitted?.(result.earliestMs);
  }

  private async waitForDatabase(): Promise<void> {
    for (;;) {
      await Bun.sleep(this.backoffMs);
      try {
        await this.o.sql`SELECT 1`;
        this.o.log.info("database reachable again; resuming ingest");
        return;
      } catch {
        this.backoffMs = Math.min(this.o.retryMaxMs ?? DEFAULT_MAX_BACKOFF_MS, this.backoffMs * 2);
      }
    }
  }
}

/** At least 1, so envelopes that write no rows (latest state only) still close a batch. */
function rowCountOf(accepted: Accepted): number {
  const data = accepted.envelope.data;
  const writer = writerFor(accepted.domain);
  return data === null || !writer ? 1 : Math.max(1, writer.rowCount(data as never));
}

/** Known domains only: a subject is the sender's choice, a label set must stay bounded. */
function domainLabel(subject: string): string {
  const domain = parseTelemetrySubject(subject)?.domain;
  return domain !== undefined && isKnownDomain(domain) ? domain : "unknown";
}

function countByDomain(accepted: Accepted[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of accepted) counts.set(a.domain, (counts.get(a.domain) ?? 0) + 1);
  return counts;
}

function emptyBatch(): Pending {
  return { accepted: [], acceptedMsgs: [], rejects: [], rejectMsgs: [], rows: 0 };
}
