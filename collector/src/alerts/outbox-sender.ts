import { enqueue } from "@infrastructor/lib/alerts/alert-store.ts";
import { type Channel, ChannelError, type Notification } from "@infrastructor/lib/notify/channel.ts";
import { groupBy } from "@infrastructor/shared/group-by.ts";
import type { Sql } from "postgres";
import { type FailingAfter, recordFailure, recordSuccess } from "./channel-health.ts";

export interface OutboxSenderOptions {
  /** Rows claimed per round. */
  batch: number;
  /** A send taking longer is aborted and retried. */
  sendTimeoutMs: number;
  /**
   * A claimed row is not due again for this long: a sender that died mid-send leaves it to another
   * after the lease. Longer than the send timeout, so two live senders never send one row twice.
   */
  leaseMs: number;
  /** Retry delays: base, doubling per attempt, at most max; a server's Retry-After longer than that wins. */
  backoff: { baseMs: number; maxMs: number; retryAfterCapMs: number };
  failingAfter: FailingAfter;
}

export function defaultOutboxSenderOptions(): OutboxSenderOptions {
  return {
    batch: 50,
    sendTimeoutMs: 30_000,
    leaseMs: 90_000,
    backoff: { baseMs: 30_000, maxMs: 15 * 60_000, retryAfterCapMs: 60 * 60_000 },
    failingAfter: { ms: 5 * 60_000, attempts: 5 },
  };
}

interface OutboxRow {
  id: string;
  dedup_key: string;
  channel: string;
  kind: Notification["kind"];
  severity: Notification["severity"];
  title: string;
  body: string;
  hosts: string[];
  at: Date;
  attempts: number;
}

export interface SendCounts {
  sent: number;
  retried: number;
  failed: number;
}

/**
 * Sends the outbox: claims due rows (FOR UPDATE SKIP LOCKED, then a lease, so two senders never
 * send one row twice and no transaction stays open across a network call), sends each through its
 * channel, and marks it sent only after the channel took it: at least once, the dedup key with every
 * attempt. A retryable failure waits with exponential backoff; a permanent one is kept as failed, with
 * the channel's message (which never carries a secret). Rows for channels this process does not have
 * are left to one that does.
 */
export class OutboxSender {
  private readonly options: OutboxSenderOptions;
  /** Since start, per channel: what /metrics reports. */
  readonly totals = new Map<string, SendCounts>();

  constructor(
    private readonly sql: Sql,
    private readonly channels: ReadonlyMap<string, Channel>,
    options: Partial<OutboxSenderOptions> = {},
  ) {
    this.options = { ...defaultOutboxSenderOptions(), ...options };
  }

  /** When a channel counts as failing (channelHealth reads it with the same thresholds). */
  get failingAfter(): FailingAfter {
    return this.options.failingAfter;
  }

  /** One round: every due row claimed (up to the batch) is sent or rescheduled. */
  async sendDue(signal?: AbortSignal): Promise<SendCounts> {
    const rows = await this.claim();
    const counts: SendCounts = { sent: 0, retried: 0, failed: 0 };
    const byChannel = groupBy(rows, (row) => row.channel);
    const unsent: string[] = [];
    // Channels in parallel, each channel's rows in order (worst first, as planned).
    await Promise.all(
      [...byChannel].map(async ([name, list]) => {
        for (const row of list) {
          if (signal?.aborted) {
            unsent.push(row.id);
            continue;
          }
          const outcome = await this.sendOne(row, name);
          counts[outcome] += 1;
          const total = this.totals.get(name) ?? { sent: 0, retried: 0, failed: 0 };
          total[outcome] += 1;
          this.totals.set(name, total);
        }
      }),
    );
    if (unsent.length > 0) {
      // Stopping: what this sender claimed but did not try is due again now, for another collector.
      await this.sql`UPDATE notification_outbox SET next_attempt_at = now(), attempts = attempts - 1
        WHERE id = ANY(${unsent}::bigint[]) AND sent_at IS NULL`;
    }
    return counts;
  }

  private async claim(): Promise<OutboxRow[]> {
    const names = [...this.channels.keys()];
    return await this.sql<OutboxRow[]>`
      UPDATE notification_outbox o
      SET attempts = o.attempts + 1,
        next_attempt_at = now() + ${this.options.leaseMs} * interval '1 millisecond'
      FROM (
        SELECT id FROM notification_outbox
        WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
          AND channel = ANY(${names}::text[])
        ORDER BY next_attempt_at, id
        LIMIT ${this.options.batch}
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE o.id = due.id
      RETURNING o.id, o.dedup_key, o.channel, o.kind, o.severity, o.title, o.body, o.hosts, o.at, o.attempts`;
  }

  private async sendOne(row: OutboxRow, name: string): Promise<keyof SendCounts> {
    const channel = this.channels.get(name) as Channel;
    const notification: Notification = {
      dedupKey: row.dedup_key,
      kind: row.kind,
      severity: row.severity,
      title: row.title,
      body: row.body,
      hosts: row.hosts,
      at: row.at,
    };
    try {
      await channel.send(notification, AbortSignal.timeout(this.options.sendTimeoutMs));
    } catch (error) {
      return await this.failed(row, name, error);
    }
    await this.sql.begin(async (tx) => {
      await tx`UPDATE notification_outbox SET sent_at = now(), last_error = NULL WHERE id = ${row.id}`;
      const recovered = await recordSuccess(tx, name);
      if (recovered !== null) await enqueue(tx, this.toOthers(name, recovered));
    });
    return "sent";
  }

  private async failed(row: OutboxRow, name: string, error: unknown): Promise<keyof SendCounts> {
    // Only a ChannelError's message is kept: channels promise it names no secret; anything else may.
    const channelError = error instanceof ChannelError ? error : null;
    const message = (channelError?.message ?? `unexpected ${(error as Error)?.name ?? "error"}`).slice(
      0,
      500,
    );
    const permanent = channelError?.disposition === "permanent";
    const { baseMs, maxMs, retryAfterCapMs } = this.options.backoff;
    const backoff = Math.min(baseMs * 2 ** Math.max(0, row.attempts - 1), maxMs);
    const delayMs = Math.max(backoff, Math.min(channelError?.retryAfterMs ?? 0, retryAfterCapMs));
    await this.sql.begin(async (tx) => {
      if (permanent) {
        await tx`UPDATE notification_outbox SET failed_at = now(), last_error = ${message} WHERE id = ${row.id}`;
      } else {
        await tx`UPDATE notification_outbox
          SET next_attempt_at = now() + ${delayMs} * interval '1 millisecond', last_error = ${message}
          WHERE id = ${row.id}`;
      }
      const outage = await recordFailure(tx, name, message, this.options.failingAfter);
      if (outage !== null) await enqueue(tx, this.toOthers(name, outage));
    });
    return permanent ? "failed" : "retried";
  }

  /** A notice about one channel goes to every other channel this process sends through. */
  private toOthers(name: string, n: Notification): { n: Notification; channel: string }[] {
    return [...this.channels.keys()].filter((c) => c !== name).map((channel) => ({ n, channel }));
  }
}
