import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { nameFrom, parseJsonItems } from "@infrastructor/lib/collect/parse-json-items.ts";
import { z } from "zod";
import { toIsoTime } from "./to-iso-time.ts";

const SOURCE = "restic snapshots --json";

const ResticSnapshotSchema = z.object({
  time: z.string(),
  id: z.string().regex(/^[0-9a-f]{8,64}$/),
  hostname: z.string().max(255),
  paths: z.array(z.string()).default([]),
  /** restic 0.17+: the backup's statistics, stored in the snapshot. */
  summary: z
    .object({
      backup_end: z.string().optional(),
      total_bytes_processed: z.number().int().nonnegative().optional(),
    })
    .optional(),
});

export interface ResticSnapshot {
  id: string;
  hostname: string;
  paths: string[];
  /** When the backup started (the snapshot's time). */
  started_at: string;
  /** When it completed (summary.backup_end), null before restic 0.17. */
  ended_at: string | null;
  total_bytes: number | null;
}

/**
 * Parses `restic snapshots --json` (a single JSON array, restic's doc/075_scripting.rst). A snapshot of
 * the wrong shape or with an unreadable time is an item error named by its short id; the others are
 * read. Output that is not a JSON array (cut short, an error) is PARSE_FAILED.
 */
export function parseResticSnapshots(text: string): ItemsParse<ResticSnapshot> {
  return parseJsonItems(text, {
    source: SOURCE,
    element: ResticSnapshotSchema,
    name: (raw) => nameFrom(raw, "short_id", "id"),
    convert: (s, i) => {
      const started = toIsoTime(s.time);
      if (started === null) throw parseFailed(SOURCE, `[${i}].time is not a timestamp: ${s.time}`);
      const end = s.summary?.backup_end;
      const ended = end === undefined ? null : toIsoTime(end);
      if (end !== undefined && ended === null)
        throw parseFailed(SOURCE, `[${i}].summary.backup_end is not a timestamp: ${end}`);
      return {
        id: s.id,
        hostname: s.hostname,
        paths: s.paths,
        started_at: started,
        ended_at: ended,
        total_bytes: s.summary?.total_bytes_processed ?? null,
      };
    },
  });
}
