import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
