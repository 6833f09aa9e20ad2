import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { type Envelope, EnvelopeSchema } from "@infrastructor/shared/envelope.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { type Recovered, recoverSegments, segmentPath, writeState } from "./spool-files.ts";

export interface SpoolOptions {
  dir: string;
  /** Bound on the segment files' total size; beyond it the oldest segment is dropped. */
  maxBytes: number;
  /** Default: maxBytes / 16 (16 KiB .. 4 MiB), so a drop loses a small share of the spool. */
  segmentBytes?: number;
}

type Segment = Recovered["segments"][number];

/** Peeked envelopes and the position to hand back to ack() once they are sent. */
export interface SpoolBatch {
  envelopes: Envelope[];
  /** Absolute index (this process) of the first envelope. */
  first: number;
}

/**
 * An on-disk FIFO of envelopes that could not be sent. Only used while NATS is unreachable or the
 * spool is still draining, so a healthy link writes nothing here (SD cards wear out).
 *
 * File I/O is synchronous on purpose: appends and acks are a few KiB into the page cache, and being
 * synchronous keeps order trivially (nothing can interleave between "is the spool empty" and "append").
 */
export class Spool {
  private readonly segmentBytes: number;
  private readonly segments: Segment[];
  /** Read position in segments[0]; `cache` is that segment's unsent lines, loaded on first peek. */
  private head: { offset: number; consumed: number; cache: string[] | null };
  /** Absolute index of segments[0]'s next entry; drops advance it too, so a stale ack() is harmless. */
  private headIndex = 0;
  private nextId: number;
  private tailFd: number | null = null;
  private droppedCount: number;

  private constructor(
    private readonly options: SpoolOptions,
    recovered: Recovered,
  ) {
    this.segmentBytes =
      options.segmentBytes ?? Math.min(4 * 1024 ** 2, Math.max(16 * 1024, Math.floor(options.maxBytes / 16)));
    this.segments = recovered.segments;
    this.head = { offset: recovered.offset, consumed: recovered.consumed, cache: null };
    this.droppedCount = recovered.dropped;
    this.nextId = recovered.nextId;
  }

  /** Opens (creating) the spool directory and picks up whatever a previous run left unsent. */
  static open(options: SpoolOptions): Spool {
    mkdirSync(options.dir, { recursive: true });
    return new Spool(options, recoverSegments(options.dir));
  }

  /** Envelopes waiting to be sent. */
  get size(): number {
    return this.segments.reduce((sum, s) => sum + s.lines, 0) - this.head.consumed;
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Bytes on disk in segment files. */
  get bytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  /** Envelopes lost (spool full, unreadable lines) and not yet reported. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Adds one envelope behind all others. Throws when the disk refuses; the loss is then counted. */
  append(envelope: Envelope): void {
    const line = `${JSON.stringify(envelope)}\n`;
    const size = Buffer.byteLength(line);
    if (size > this.options.maxBytes) {
      this.countDropped(1);
      return;
    }
    try {
      while (this.segments.length > 0 && this.bytes + size > this.options.maxBytes) this.dropHeadSegment();
      let tail = this.segments.at(-1);
      if (!tail || this.tailFd === null || (tail.bytes > 0 && tail.bytes + size > this.segmentBytes)) {
        tail = this.openNewTail();
      }
      writeSync(this.tailFd as number, line);
      tail.bytes += size;
      tail.lines += 1;
      if (tail === this.segments[0] && this.head.cache) this.head.cache.push(line.slice(0, -1));
    } catch (err) {
      // Disk full or read-only: a half-written line would spoil the next one, so start a new segment.
      if (this.tailFd !== null) closeSync(this.tailFd);
      this.tailFd = null;
      this.droppedCount += 1;
      throw new AppError(ErrorCode.INTERNAL, `cannot write to the spool: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Up to `max` oldest envelopes, without removing them. Unreadable lines are dropped and counted. */
  peek(max: number): SpoolBatch {
    const envelopes: Envelope[] = [];
    for (;;) {
      if (this.segments.length === 0) return { envelopes, first: this.headIndex };
      const lines = this.headLines();
      if (lines.length === 0) {
        this.removeHeadSegment(); // its counted lines are not in the file (a failed write): nothing to send
        continue;
      }
      const parsed = lines.slice(0, max).map(parseLine);
      const bad = parsed.indexOf(null);
      if (bad !== 0) {
        for (const envelope of bad === -1 ? parsed : parsed.slice(0, bad))
          envelopes.push(envelope as Envelope);
        return { envelopes, first: this.headIndex };
      }
      this.consume(1);
      this.countDropped(1);
    }
  }

  /** Removes everything before absolute index `end` (a batch's `first` + how many were sent). */
  ack(end: number): void {
    if (end <= this.headIndex) return;
    this.consume(Math.min(end - this.headIndex, this.size));
    writeState(this.options.dir, this.state());
  }

  /** The first `count` drops were reported in a published envelope. */
  acknowledgeDropped(count: number): void {
    this.droppedCount = Math.max(0, this.droppedCount - count);
    writeState(this.options.dir, this.state());
  }

  /** Flushes the tail to the device: what is spooled at shutdown must survive a power cut after it. */
  close(): void {
    if (this.tailFd !== null) {
      fsyncSync(this.tailFd);
      closeSync(this.tailFd);
      this.tailFd = null;
    }
    writeState(this.options.dir, this.state());
  }

  private headLines(): string[] {
    const first = this.segments[0];
    if (!first) return [];
    if (!this.head.cache) {
      const text = readFileSync(segmentPath(this.options.dir, first.id)).subarray(
        this.head.offset,
        first.bytes,
      );
      this.head.cache = text.length === 0 ? [] : text.toString("utf8").slice(0, -1).split("\n");
    }
    return this.head.cache;
  }

  private consume(count: number): void {
    for (let left = count; left > 0; ) {
      const first = this.segments[0];
      if (!first) return;
      const lines = this.headLines();
      const take = Math.min(left, lines.length);
      for (const line of lines.splice(0, take)) this.head.offset += Buffer.byteLength(line) + 1;
      this.head.consumed += take;
      this.headIndex += take;
      left -= take;
      if (this.head.consumed >= first.lines) this.removeHeadSegment();
    }
  }

  private dropHeadSegment(): void {
    const first = this.segments[0];
    if (!first) return;
    const lost = first.lines - this.head.consumed;
    this.headIndex += lost;
    this.droppedCount += lost; // counted before the removal saves the state, which carries the count
    this.removeHeadSegment();
  }

  private removeHeadSegment(): void {
    const first = this.segments.shift();
    if (!first) return;
    if (this.segments.length === 0 && this.tailFd !== null) {
      closeSync(this.tailFd);
      this.tailFd = null;
    }
    this.head = { offset: 0, consumed: 0, cache: null };
    // State first: a crash between the two replays nothing twice and loses nothing.
    writeState(this.options.dir, this.state(first.id + 1));
    unlinkSync(segmentPath(this.options.dir, first.id));
  }

  private openNewTail(): Segment {
    if (this.tailFd !== null) closeSync(this.tailFd);
    const segment = { id: this.nextId++, bytes: 0, lines: 0 };
    this.tailFd = openSync(segmentPath(this.options.dir, segment.id), "a");
    this.segments.push(segment);
    return segment;
  }

  private countDropped(count: number): void {
    if (count <= 0) return;
    this.droppedCount += count;
    writeState(this.options.dir, this.state());
  }

  private state(segment?: number): { segment: number; offset: number; dropped: number } {
    const first = this.segments[0];
    return {
      segment: segment ?? first?.id ?? this.nextId,
      offset: first ? this.head.offset : 0,
      dropped: this.droppedCount,
    };
  }
}

function parseLine(line: string): Envelope | null {
  try {
    const result = EnvelopeSchema.safeParse(JSON.parse(line));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
