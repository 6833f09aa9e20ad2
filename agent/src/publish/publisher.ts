import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { messageId, telemetrySubject } from "@infrastructor/shared/subjects.ts";
import type { Logger } from "../logger.ts";
import { fitPayload, tooLargeEnvelope } from "./fit-payload.ts";
import type { PublishLink } from "./nats-link.ts";
import type { Spool } from "./spool.ts";
import { withDropReport } from "./with-drop-report.ts";

export interface PublisherOptions {
  link: PublishLink;
  spool: Spool;
  logger: Logger;
  /** How long one publish waits for JetStream's ack before the envelope counts as unsent. */
  ackTimeoutMs: number;
  /** Envelopes published concurrently; default 32. They leave in order on one socket. */
  batchSize?: number;
  /** Back-off after a failed publish while the connection looks up (e.g. no stream yet); default 1 s .. 30 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export interface PublisherStats {
  published: number;
  duplicates: number;
  spooled: number;
  inMemory: number;
  /** Envelopes over the server's max_payload, sent as PAYLOAD_TOO_LARGE instead of their data. */
  tooLarge: number;
}

/**
 * Sends envelopes to JetStream in the order they were submitted. While the link is up and nothing is
 * spooled they are held in memory only (no disk writes); when the link is down, a publish fails or times
 * out, or the spool still holds older envelopes, they go to the spool, which is replayed first.
 *
 * Invariant: `memory` and the spool are never both non-empty. Memory takes envelopes only when the spool
 * is empty; a failure moves memory to the spool, in order. So nothing new ever overtakes something old.
 */
export class Publisher {
  private readonly memory: Envelope[] = [];
  private readonly encoder = new TextEncoder();
  private failing = false;
  private retryAt = 0;
  private retryDelayMs: number;
  private stopping = false;
  private wakeUp: (() => void) | null = null;
  private readonly pumping: Promise<void>;
  private counts = { published: 0, duplicates: 0, tooLarge: 0 };
  /** Msg-Ids the server refused as too large although they passed our size check: sent as errors. */
  private readonly refused = new Set<string>();
  private readonly reported = new Set<string>();

  constructor(private readonly options: PublisherOptions) {
    this.retryDelayMs = options.retryMinMs ?? 1_000;
    options.link.onChange(() => {
      if (options.link.connected) this.resetRetry();
      this.wake();
    });
    this.pumping = this.pump();
  }

  /** Queues one envelope; never blocks and never throws for a NATS problem. */
  submit(envelope: Envelope): void {
    const direct =
      this.memory.length > 0 ||
      (this.options.spool.isEmpty && this.options.link.connected && !this.failing && !this.stopping);
    if (direct) this.memory.push(envelope);
    else this.toSpool(envelope);
    this.wake();
  }

  stats(): PublisherStats {
    return { ...this.counts, spooled: this.options.spool.size, inMemory: this.memory.length };
  }

  /** Lets in-flight publishes finish (at most one ack timeout), then puts anything unsent on disk. */
  async close(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.pumping;
    this.spillMemory();
    this.options.spool.close();
  }

  private async pump(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.step();
      } catch (err) {
        // Only the disk can get here (publish errors are results); back off instead of spinning.
        this.options.logger.error({ err }, "spool read or write failed");
        this.fail(err);
      }
    }
  }

  private async step(): Promise<void> {
    const { link, spool } = this.options;
    if (!link.connected || Date.now() < this.retryAt) {
      this.spillMemory();
      await this.sleep(link.connected ? this.retryAt - Date.now() : Number.POSITIVE_INFINITY);
    } else if (!spool.isEmpty) {
      const batch = spool.peek(this.options.batchSize ?? 32);
      const sent = await this.publishInOrder(batch.envelopes);
      spool.ack(batch.first + sent);
      if (spool.isEmpty) this.options.logger.info(this.stats(), "spool drained");
    } else if (this.memory.length > 0) {
      const sent = await this.publishInOrder(this.memory.slice(0, this.options.batchSize ?? 32));
      this.memory.splice(0, sent);
    } else {
      await this.sleep(Number.POSITIVE_INFINITY);
    }
  }

  /** Publishes a batch concurrently; returns how many, from the front, JetStream acknowledged. */
  private async publishInOrder(envelopes: Envelope[]): Promise<number> {
    const { link, spool, ackTimeoutMs } = this.options;
    const dropped = spool.dropped;
    const maxPayload = link.maxPayload ?? Number.POSITIVE_INFINITY;
    const outgoing = envelopes.map((envelope, i) => {
      const fitted = this.fit(envelope, maxPayload);
      return i === 0 && dropped > 0 ? withDropReport(fitted, dropped) : fitted;
    });
    const results = await Promise.allSettled(
      outgoing.map((e) =>
        link.publish(
          telemetrySubject(e.host, e.domain),
          this.encoder.encode(JSON.stringify(e)),
          messageId(e.host, e.domain, e.boot_id, e.seq),
          ackTimeoutMs,
        ),
      ),
    );
    let sent = 0;
    for (const result of results) {
      if (result.status !== "fulfilled") break;
      sent += 1;
      if (result.value.duplicate) this.counts.duplicates += 1;
      else this.counts.published += 1;
    }
    const first = results[0];
    // A duplicate means an earlier copy, without the report, was stored: report again on the next one.
    if (
      dropped > 0 &&
      first?.status === "fulfilled" &&
      !first.value.duplicate &&
      outgoing[0] !== envelopes[0]
    ) {
      spool.acknowledgeDropped(dropped);
    }
    const failure = results[sent];
    const failed = outgoing[sent];
    if (
      failure?.status === "rejected" &&
      failed &&
      toAppError(failure.reason).code === ErrorCode.PAYLOAD_TOO_LARGE &&
      // A stand-in refused too (a server with a max_payload of a few hundred bytes) backs off below.
      failed.errors[0]?.code !== ErrorCode.PAYLOAD_TOO_LARGE
    ) {
      // Not a NATS problem: the next step sends this one as an error envelope, without a back-off.
      this.refused.add(messageId(failed.host, failed.domain, failed.boot_id, failed.seq));
    } else if (failure?.status === "rejected") this.fail(failure.reason);
    else if (sent > 0) this.succeed();
    return sent;
  }

  /** The envelope itself, or its PAYLOAD_TOO_LARGE stand-in when the server would refuse it. */
  private fit(envelope: Envelope, maxPayload: number): Envelope {
    const id = messageId(envelope.host, envelope.domain, envelope.boot_id, envelope.seq);
    let replacement: Envelope | null = null;
    let bytes = 0;
    if (this.refused.delete(id)) {
      bytes = Buffer.byteLength(JSON.stringify(envelope));
      replacement = tooLargeEnvelope(envelope, bytes, Number.isFinite(maxPayload) ? maxPayload : 0);
    } else if (Number.isFinite(maxPayload)) {
      const fitted = fitPayload(envelope, maxPayload);
      if (fitted.replacedBytes !== null) {
        replacement = fitted.envelope;
        bytes = fitted.replacedBytes;
      }
    }
    if (replacement === null) return envelope;
    // A batch that fails later is fitted again on its retry: count and log each envelope once.
    if (this.reported.has(id)) return replacement;
    if (this.reported.size >= 256) this.reported.clear();
    this.reported.add(id);
    this.counts.tooLarge += 1;
    this.options.logger.warn(
      { domain: envelope.domain, seq: envelope.seq, bytes, max_payload: maxPayload },
      "envelope over the server's max_payload; sending PAYLOAD_TOO_LARGE in its place",
    );
    return replacement;
  }

  private fail(reason: unknown): void {
    const err = toAppError(reason);
    if (!this.failing) this.options.logger.warn({ err, ...this.stats() }, "publish failed; spooling");
    this.failing = true;
    this.retryAt = Date.now() + this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.retryMaxMs ?? 30_000);
  }

  private succeed(): void {
    if (this.failing) this.options.logger.info(this.stats(), "publishing again");
    this.failing = false;
    this.resetRetry();
  }

  private resetRetry(): void {
    this.retryAt = 0;
    this.retryDelayMs = this.options.retryMinMs ?? 1_000;
  }

  /** Memory to the spool, oldest first; the spool is empty whenever memory is not (see invariant). */
  private spillMemory(): void {
    for (const envelope of this.memory.splice(0)) this.toSpool(envelope);
  }

  /** A disk that refuses writes costs envelopes (the spool counts them), not the agent. */
  private toSpool(envelope: Envelope): void {
    const { spool, logger } = this.options;
    const before = spool.dropped;
    try {
      spool.append(envelope);
    } catch (err) {
      logger.error({ err, domain: envelope.domain, seq: envelope.seq }, "envelope lost");
      return;
    }
    // Counted by the spool and reported on the next envelope; said here too, with the reason.
    if (spool.dropped > before) {
      logger.warn(
        { domain: envelope.domain, seq: envelope.seq, dropped: spool.dropped - before },
        "spool full (or the envelope larger than the whole spool): envelopes dropped",
      );
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.wake(), Math.max(0, ms)) : undefined;
      this.wakeUp = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }
}
