import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { type ZfsPool, ZfsPoolSchema } from "../schema.ts";
import { parseTabular } from "./parse-tabular.ts";
import { fail, fitting, toOptionalBytes, toOptionalPct, toOptionalRatio } from "./zfs-values.ts";

const SOURCE = "zpool list";

/** The columns the collector asks for, in this order (the same set telegraf's zfs input uses). */
export const ZPOOL_LIST_COLUMNS = [
  "name",
  "health",
  "size",
  "alloc",
  "free",
  "fragmentation",
  "capacity",
  "dedupratio",
] as const;

/**
 * Parses `zpool list -Hp -o name,health,size,alloc,free,fragmentation,capacity,dedupratio`, one pool
 * per line. A pool that is UNAVAIL or FAULTED has no readable space maps: zpool prints `-` for its
 * size, alloc, free, fragmentation and capacity (zpool_get_prop answers "-" for a property of an
 * unavailable pool), and those are null. A line that cannot be read is that pool's item error.
 */
export function parseZpoolList(text: string): ItemsParse<ZfsPool> {
  return parseTabular(text, SOURCE, ZPOOL_LIST_COLUMNS, ({ fields, where }) => {
    const name = fields.get("name") ?? "";
    const health = fields.get("health") ?? "";
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) throw fail(where, `not a pool name: ${name}`);
    if (!/^[A-Z_]+$/.test(health)) throw fail(where, `not a pool health: ${health}`);
    const pool: ZfsPool = {
      name,
      health,
      size_bytes: toOptionalBytes(fields.get("size"), "size", where),
      alloc_bytes: toOptionalBytes(fields.get("alloc"), "alloc", where),
      free_bytes: toOptionalBytes(fields.get("free"), "free", where),
      fragmentation_pct: toOptionalPct(fields.get("fragmentation"), "fragmentation", where),
      capacity_pct: toOptionalPct(fields.get("capacity"), "capacity", where),
      dedup_ratio: toOptionalRatio(fields.get("dedupratio"), "dedupratio", where),
    };
    return fitting(ZfsPoolSchema, pool, where);
  });
}
