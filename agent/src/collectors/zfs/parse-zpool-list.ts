import type { ZfsPool } from "@infrastructor/shared/schemas/zfs.ts";
import { parseTabular } from "./parse-tabular.ts";
import { fail, toBytes, toOptionalPct, toRatio } from "./zfs-values.ts";

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

/** Parses `zpool list -Hp -o name,health,size,alloc,free,fragmentation,capacity,dedupratio`. */
export function parseZpoolList(text: string): ZfsPool[] {
  return parseTabular(text, SOURCE, ZPOOL_LIST_COLUMNS).map(({ fields, where }) => {
    const name = fields.get("name") ?? "";
    const health = fields.get("health") ?? "";
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) throw fail(where, `not a pool name: ${name}`);
    if (!/^[A-Z_]+$/.test(health)) throw fail(where, `not a pool health: ${health}`);
    const capacity = toOptionalPct(fields.get("capacity"), "capacity", where);
    if (capacity === null) throw fail(where, "capacity is missing");
    return {
      name,
      health,
      size_bytes: toBytes(fields.get("size"), "size", where),
      alloc_bytes: toBytes(fields.get("alloc"), "alloc", where),
      free_bytes: toBytes(fields.get("free"), "free", where),
      fragmentation_pct: toOptionalPct(fields.get("fragmentation"), "fragmentation", where),
      capacity_pct: capacity,
      dedup_ratio: toRatio(fields.get("dedupratio"), "dedupratio", where),
    };
  });
}
