import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { nameFrom, parseJsonItems } from "@infrastructor/lib/collect/parse-json-items.ts";
import { z } from "zod";

const SOURCE = "borg list --json";

const BorgArchiveSchema = z.object({
  name: z.string().max(1024),
  id: z.string().regex(/^[0-9a-f]{64}$/),
  start: z.string().optional(),
  time: z.string().optional(),
});

export interface BorgArchive {
  name: string;
  id: string;
  /**
   * When the archive was made, as borg prints it: borg 1.x in the host's local time without a zone
   * (`2024-03-01T02:00:03.000000`), borg 2 with an offset. Normalized to milliseconds.
   */
  time: string;
  zone: "local" | "offset";
}

const TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses `borg list --json REPO` (borg's "JSON output" docs: archives, encryption, repository). An
 * archive of the wrong shape or without a readable time is an item error named by its name; the
 * others are read. A document without an `archives` list (cut short, an error message) is PARSE_FAILED.
 */
export function parseBorgList(text: string): ItemsParse<BorgArchive> {
  return parseJsonItems(
    text,
    {
      source: SOURCE,
      path: "archives",
      element: BorgArchiveSchema,
      name: (raw) => nameFrom(raw, "name", "archive", "id"),
      convert: (a, i) => {
        const time = a.time ?? a.start ?? "";
        const m = TIME.exec(time);
        if (!m) throw parseFailed(SOURCE, `archives[${i}].time is not a timestamp: ${JSON.stringify(time)}`);
        const ms = (m[2] ?? ".000").padEnd(4, "0").slice(0, 4);
        return {
          name: a.name,
          id: a.id,
          time: `${m[1]}${ms}${m[3] ?? ""}`,
          zone: m[3] === undefined ? ("local" as const) : ("offset" as const),
        };
      },
    },
    (document) => (document as { archives?: unknown } | null)?.archives,
  );
}

/** An archive's time as an instant; `local` times are read in the agent's (the host's) time zone. */
export function borgArchiveInstant(archive: BorgArchive): Date {
  return new Date(archive.time);
}
