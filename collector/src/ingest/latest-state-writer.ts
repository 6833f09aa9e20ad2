import { classifyDbError } from "@infrastructor/lib/db/classify-db-error.ts";
import type { Sql } from "postgres";
import type { Accepted } from "./decode.ts";
import { updateDevices, upsertLatestState } from "./latest-state.ts";

interface Waiter {
  /** Told the envelopes the database refused for their data (written one by one to find them). */
  resolve: (refused: ReadonlySet<Accepted>) => void;
  reject: (err: unknown) => void;
}

/**
 * Writes latest_state and the device registry for committed batches, coalescing: while one write is
 * running, the batches that commit meanwhile are merged, keeping only the newest envelope per device
 * and domain (and the oldest per device, for first_seen). Under a burst (an agent replaying its spool,
 * a thousand hosts at once) that turns hundreds of payload upserts per batch into one per device.
 *
 * `submit` resolves once the entries are committed, and the pipeline acks a batch's messages only
 * then: a crash before that redelivers them, so the latest state is never silently left behind.
 * When the database refuses the data itself (bad_data), the entries are written one by one and the
 * refused envelopes are handed back, so one poison message cannot hold the others' acks forever.
 */
export class LatestStateWriter {
  private newest = new Map<string, Accepted>();
  private oldest = new Map<string, Accepted>();
  private ids = new Map<string, number>();
  private waiters: Waiter[] = [];
  private running: Promise<void> | null = null;

  /**
   * @param minIntervalMs at least this long between the starts of two writes: under a burst the
   *   entries of every batch committed meanwhile merge into one write; when idle a write starts at once.
   */
  constructor(
    private readonly sql: Sql,
    private readonly minIntervalMs: number,
  ) {}

  submit(accepted: Accepted[], ids: Map<string, number>): Promise<ReadonlySet<Accepted>> {
    if (accepted.length === 0) return Promise.resolve(NONE);
    for (const item of accepted) {
      const key = `${item.envelope.host}\u0000${item.domain}`;
      const newest = this.newest.get(key);
      if (!newest || item.collectedAt >= newest.collectedAt) this.newest.set(key, item);
      const oldest = this.oldest.get(item.envelope.host);
      if (!oldest || item.collectedAt < oldest.collectedAt) this.oldest.set(item.envelope.host, item);
      const id = ids.get(item.envelope.host);
      if (id !== undefined) this.ids.set(item.envelope.host, id);
    }
    const done = new Promise<ReadonlySet<Accepted>>((resolve, reject) =>
      this.waiters.push({ resolve, reject }),
    );
    if (!this.running) this.running = this.loop();
    return done;
  }

  private async loop(): Promise<void> {
    let lastStart = 0;
    while (this.waiters.length > 0) {
      const wait = lastStart + this.minIntervalMs - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      lastStart = performance.now();
      const newest = [...this.newest.values()];
      const oldest = [...this.oldest.values()];
      const ids = this.ids;
      const waiters = this.waiters;
      this.newest = new Map();
      this.oldest = new Map();
      this.ids = new Map();
      this.waiters = [];
      try {
        const refused = await this.write(oldest, newest, ids);
        for (const w of waiters) w.resolve(refused);
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.running = null;
  }

  private async write(
    oldest: Accepted[],
    newest: Accepted[],
    ids: Map<string, number>,
  ): Promise<ReadonlySet<Accepted>> {
    try {
      await this.writeOnce([...oldest, ...newest], newest, ids);
      return NONE;
    } catch (err) {
      if (classifyDbError(err) !== "bad_data") throw err;
    }
    const refused = new Set<Accepted>();
    const latest = new Set(newest);
    for (const item of new Set([...oldest, ...newest])) {
      try {
        await this.writeOnce([item], latest.has(item) ? [item] : [], ids);
      } catch (err) {
        if (classifyDbError(err) !== "bad_data") throw err;
        refused.add(item);
      }
    }
    return refused;
  }

  private async writeOnce(seen: Accepted[], newest: Accepted[], ids: Map<string, number>): Promise<void> {
    await this.sql.begin(async (tx) => {
      await updateDevices(tx, seen, ids);
      await upsertLatestState(tx, newest, ids);
    });
  }
}

const NONE: ReadonlySet<Accepted> = new Set();
