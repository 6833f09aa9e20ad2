import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/**
 * The spool's files: numbered NDJSON segments (`000000000042.ndjson`, one envelope per line, oldest
 * number first) and `state.json`, the read position in the oldest segment plus the count of envelopes
 * dropped and not yet reported. Segments are appended to and deleted whole, never rewritten.
 */
const SEGMENT_NAME = /^(\d{12})\.ndjson$/;
const STATE_FILE = "state.json";

export interface SpoolState {
  /** The segment `offset` points into; segments numbered below it are fully sent. */
  segment: number;
  /** Bytes of `segment` already sent (always at a line start). */
  offset: number;
  /** Envelopes dropped (spool full, unreadable lines) and not yet reported in an envelope. */
  dropped: number;
}

export function segmentPath(dir: string, id: number): string {
  return join(dir, `${String(id).padStart(12, "0")}.ndjson`);
}

/** Segment numbers present in `dir`, ascending. */
export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function readState(dir: string): SpoolState {
  const file = join(dir, STATE_FILE);
  const empty: SpoolState = { segment: 0, offset: 0, dropped: 0 };
  if (!existsSync(file)) return empty;
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as Partial<SpoolState>;
    const count = (n: unknown): number => (Number.isSafeInteger(n) && (n as number) >= 0 ? (n as number) : 0);
    return { segment: count(json.segment), offset: count(json.offset), dropped: count(json.dropped) };
  } catch {
    // A torn state file costs duplicates (replay from the segment's start), never envelopes.
    return empty;
  }
}

/** Write-then-rename, so a crash leaves the old state or the new one, never half of one. */
export function writeState(dir: string, state: SpoolState): void {
  const file = join(dir, STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

export interface RecoveredSegment {
  id: number;
  bytes: number;
  lines: number;
}

export interface Recovered {
  segments: RecoveredSegment[];
  /** Read position in segments[0]: bytes and lines already sent. */
  offset: number;
  consumed: number;
  dropped: number;
  /** The number for the next new segment: above every number used so far, so order is kept. */
  nextId: number;
}

/**
 * What a previous run left: its segments (a torn last line, from a crash mid-write, cut off), where its
 * replay stopped, and its unreported drops. Every doubtful case resolves to replaying more (duplicates,
 * which JetStream and the database remove), never to skipping.
 */
export function recoverSegments(dir: string): Recovered {
  const state = readState(dir);
  const segments: RecoveredSegment[] = [];
  let offset = 0;
  let consumed = 0;
  for (const id of listSegments(dir)) {
    const file = segmentPath(dir, id);
    if (id < state.segment) {
      unlinkSync(file); // fully sent; the crash came between saving the state and deleting the file
      continue;
    }
    let bytes = readFileSync(file);
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < bytes.length) {
      truncateSync(file, end);
      bytes = bytes.subarray(0, end);
    }
    // Only a line start is a valid position; anything else replays the whole segment.
    if (
      segments.length === 0 &&
      id === state.segment &&
      state.offset <= end &&
      bytes[state.offset - 1] === 0x0a
    ) {
      offset = state.offset;
      consumed = countLines(bytes.subarray(0, offset));
    }
    segments.push({ id, bytes: end, lines: countLines(bytes) });
  }
  const nextId = Math.max(state.segment, segments.at(-1)?.id ?? 0) + 1;
  return { segments, offset, consumed, dropped: state.dropped, nextId };
}

export function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (const byte of bytes) if (byte === 0x0a) lines += 1;
  return lines;
}
