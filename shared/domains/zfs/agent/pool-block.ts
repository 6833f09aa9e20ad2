import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { type ZfsPoolStatus, ZfsPoolStatusSchema } from "../schema.ts";
import { VdevTreeReader } from "./parse-vdev-tree.ts";
import { type ErrorsEntry, summarizeErrors } from "./parse-zpool-errors.ts";
import { parseScan } from "./parse-zpool-scan.ts";
import { fail, fitting, localTimeOrNull, sizeOrNull, type Where } from "./zfs-values.ts";

/** Entry names are right-aligned in the first 8 columns (`  pool:`, ` state:`, `errors:`). */
export const KEY = /^ {0,8}([a-z]+):(?:[ \t](.*))?$/;
/**
 * The order status_callback prints a pool's entries in. An entry that comes before one already seen
 * (a second `state:`) cannot be this pool's: it and what follows are lines of a pool block that lost
 * its `pool:` line, and they never change this pool. Unknown entries are skipped wherever they are.
 */
const RANK: Record<string, number> = {
  pool: 0,
  id: 1,
  state: 2,
  status: 3,
  action: 4,
  see: 5,
  scan: 6,
  scrub: 6,
  remove: 7,
  checkpoint: 8,
  expand: 9,
  config: 10,
  errors: 11,
  dedup: 12,
};
/** Printed more than once per pool: a scrub and a rebuild, `errors:` twice when the list is unavailable. */
const REPEATABLE = new Set(["scan", "scrub", "errors", "dedup"]);
const SCANS = new Set(["scan", "scrub", "remove", "expand"]);
const HEADER = /^(\s*)NAME\s+STATE\s+READ\s+WRITE\s+CKSUM\s*$/;

export interface Line {
  text: string;
  /** 1-based line of the whole output. */
  line: number;
}

export interface PoolBlock {
  pool: ZfsPoolStatus;
  /** Vdev rows that could not be read (named by the pool); the pool keeps its other rows. */
  rowErrors: ItemError[];
  /** Where lines start that belong to no pool (a damaged next block), if any. */
  orphan: Line | null;
}

interface ScanEntry {
  key: string;
  first: string;
  more: string[];
}

/**
 * Reads one pool's block of `zpool status` (from its `pool:` line to the next). Throws PARSE_FAILED
 * only for what makes the pool itself unreadable (no state, a config without its table); a vdev row
 * it cannot read is a row error, and lines that cannot be this pool's end the block as an orphan.
 */
export function readPoolBlock(name: string, lines: readonly Line[], source: string): PoolBlock {
  const at = (l: Line): Where => ({ source, line: l.line, text: l.text });
  const start = lines[0] as Line;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) throw fail(at(start), `not a pool name: ${name}`);
  let state: string | null = null;
  const status: string[] = [];
  const action: string[] = [];
  const scans: ScanEntry[] = [];
  const errors: ErrorsEntry[] = [];
  const rowErrors: ItemError[] = [];
  let checkpoint: string | null = null;
  let config: { where: Where; phase: "header" | "rows" | "done"; reader: VdevTreeReader | null } | null =
    null;
  let key: string | null = null;
  let maxRank = 0;
  let blankInErrors = false;

  for (const l of lines.slice(1)) {
    const entry = KEY.exec(l.text);
    const inTable =
      config?.phase === "rows" && config.reader !== null && l.text.startsWith(config.reader.indent);
    if (entry?.[1] !== undefined && !inTable) {
      const k = entry[1];
      const rank = RANK[k];
      if (rank !== undefined) {
        if (rank < maxRank || (rank === maxRank && !REPEATABLE.has(k))) return done(l);
        maxRank = rank;
      }
      if (config?.phase === "rows") config.phase = "done";
      key = rank === undefined ? "?" : k;
      const value = (entry[2] ?? "").trim();
      if (k === "state") state = value;
      else if (k === "status") status.push(value);
      else if (k === "action") action.push(value);
      else if (SCANS.has(k)) scans.push({ key: k, first: value, more: [] });
      else if (k === "checkpoint") checkpoint = value;
      else if (k === "errors") {
        errors.push({ header: value, more: [] });
        blankInErrors = false;
      } else if (k === "config") {
        // `config: The configuration cannot be determined.` has no table.
        config = value === "" ? { where: at(l), phase: "header", reader: null } : null;
      }
      continue;
    }
    if (key === "config" && config !== null) {
      if (config.phase === "header") {
        if (l.text.trim() === "") continue;
        const header = HEADER.exec(l.text);
        if (!header) throw fail(at(l), "expected the `NAME STATE READ WRITE CKSUM` header");
        config.reader = new VdevTreeReader(header[1] ?? "");
        config.phase = "rows";
      } else if (config.phase === "rows") {
        if (l.text.trim() === "") config.phase = "done";
        else {
          try {
            config.reader?.add(l.text, at(l));
          } catch (err) {
            rowErrors.push(itemError({ name, line: l.line, text: l.text }, err));
          }
        }
      } else if (l.text.trim() !== "") return done(l);
      continue;
    }
    if (l.text.trim() === "") {
      // The file list of `errors: Permanent errors ...` follows one blank line.
      const last = errors.at(-1);
      if (
        key === "errors" &&
        last?.more.length === 0 &&
        !blankInErrors &&
        /following files/.test(last.header)
      ) {
        blankInErrors = true;
      } else key = null;
      continue;
    }
    if (!/^\s/.test(l.text) || key === null) return done(l);
    if (key === "status") status.push(l.text.trim());
    else if (key === "action") action.push(l.text.trim());
    else if (key === "errors") errors.at(-1)?.more.push(l.text);
    else if (SCANS.has(key)) scans.at(-1)?.more.push(l.text.trim());
  }
  return done(null);

  function done(orphan: Line | null): PoolBlock {
    if (state === null || !/^[A-Z][A-Z_]*$/.test(state)) {
      throw fail(at(start), `pool ${name} has no valid state: line`);
    }
    const vdevs = config?.reader?.result() ?? [];
    if (config && vdevs.length === 0 && rowErrors.length === 0) {
      throw fail(config.where, "config: without a vdev table");
    }
    const parsed = scans.map((s) => ({ key: s.key, scan: parseScan(s.first, s.more) }));
    const main = parsed.find(
      (p) => (p.key === "scan" || p.key === "scrub") && p.scan.function !== "errorscrub",
    );
    const activities = parsed.filter((p) => p !== main).map((p) => p.scan);
    const pool: ZfsPoolStatus = {
      name,
      state,
      status_text: joined(status),
      action_text: joined(action),
      scan: main?.scan ?? parseScan("none requested", []),
      vdevs,
      ...summarizeErrors(errors),
    };
    if (activities.length > 0) pool.activities = activities.slice(0, 64);
    const cp = checkpoint === null ? null : readCheckpoint(checkpoint);
    if (cp) pool.checkpoint = cp;
    return { pool: fitting(ZfsPoolStatusSchema, pool, at(start)), rowErrors, orphan };
  }
}

function joined(parts: string[]): string | null {
  return parts.length === 0 ? null : parts.join(" ").slice(0, 4096);
}

/** print_checkpoint_status: `created <ctime>, consumes 1.2G` or `discarding, 1.2G remaining.` */
function readCheckpoint(value: string): ZfsPoolStatus["checkpoint"] | null {
  const created = /^created (.+), consumes (\S+)$/.exec(value);
  if (created) {
    return { state: "exists", at_local: localTimeOrNull(created[1]), space_bytes: sizeOrNull(created[2]) };
  }
  const discarding = /^discarding, (\S+) remaining\.?$/.exec(value);
  return discarding ? { state: "discarding", at_local: null, space_bytes: sizeOrNull(discarding[1]) } : null;
}
