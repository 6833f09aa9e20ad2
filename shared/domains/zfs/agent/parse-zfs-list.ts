import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { type ZfsDataset, ZfsDatasetSchema, type ZfsSnapshot, ZfsSnapshotSchema } from "../schema.ts";
import { parseTabular } from "./parse-tabular.ts";
import { fail, fitting, toBytes, toOptionalBytes, type Where } from "./zfs-values.ts";

/** What the collector asks `zfs list -Hp -t filesystem,volume -o ...` for. */
export const DATASET_COLUMNS = ["name", "type", "used", "avail", "refer", "usedsnap", "usedds"] as const;
/** What `zfs list -Hp -t snapshot -o ...` is asked for. */
export const SNAPSHOT_COLUMNS = ["name", "used", "refer", "creation"] as const;

/** Allowed in ZFS names (zfs_namecheck.c): alphanumerics and `_-:. `, `/` between components. */
const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*$/;
const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*@[A-Za-z0-9_.:-]+$/;

/** `.` and `..` components are refused by zfs itself (NAME_ERR_SELF_REF, NAME_ERR_PARENT_REF). */
function isZfsName(name: string, pattern: RegExp): boolean {
  return pattern.test(name) && name.length <= 255 && !/(^|[/@])\.\.?([/@]|$)/.test(name);
}

function nameOf(fields: Map<string, string>, pattern: RegExp, where: Where): string {
  const name = fields.get("name") ?? "";
  if (!isZfsName(name, pattern)) throw fail(where, `not a ZFS name: ${name}`);
  return name;
}

/**
 * Parses `zfs list -Hp -t filesystem,volume -o <columns>`. `columns` may be any subset that has name,
 * used and avail (captures from other tools asked for other sets); the rest are null when not asked.
 * A line that cannot be read is that dataset's item error; the others are still read.
 */
export function parseZfsDatasets(
  text: string,
  columns: readonly string[] = DATASET_COLUMNS,
): ItemsParse<ZfsDataset> {
  return parseTabular(text, "zfs list", columns, ({ fields, where }) => {
    const type = fields.get("type");
    if (type !== undefined && type !== "filesystem" && type !== "volume") {
      throw fail(where, `not a dataset type: ${type}`);
    }
    const optional = (column: string): number | null =>
      fields.has(column) ? toOptionalBytes(fields.get(column), column, where) : null;
    return fitting(
      ZfsDatasetSchema,
      {
        name: nameOf(fields, DATASET_NAME, where),
        type: type ?? null,
        used_bytes: toBytes(fields.get("used"), "used", where),
        avail_bytes: toBytes(fields.get("avail"), "avail", where),
        refer_bytes: optional("refer"),
        usedsnap_bytes: optional("usedsnap"),
        usedds_bytes: optional("usedds"),
      },
      where,
    );
  });
}

/**
 * Parses `zfs list -Hp -t snapshot -o <columns>` (name, used and creation required, refer optional),
 * one item per line like parseZfsDatasets.
 */
export function parseZfsSnapshots(
  text: string,
  columns: readonly string[] = SNAPSHOT_COLUMNS,
): ItemsParse<ZfsSnapshot> {
  return parseTabular(text, "zfs list -t snapshot", columns, ({ fields, where }) => {
    const creation = fields.get("creation") ?? "";
    if (!/^\d{1,12}$/.test(creation)) throw fail(where, `creation is not Unix seconds: ${creation}`);
    return fitting(
      ZfsSnapshotSchema,
      {
        name: nameOf(fields, SNAPSHOT_NAME, where),
        used_bytes: toBytes(fields.get("used"), "used", where),
        refer_bytes: fields.has("refer") ? toBytes(fields.get("refer"), "refer", where) : null,
        created_s: Number(creation),
      },
      where,
    );
  });
}

/** `tank/data@daily-1` -> `tank/data`. */
export function snapshotDataset(name: string): string {
  return name.slice(0, name.indexOf("@"));
}

/** Checked before a dataset name reaches a zfs command line. */
export function isDatasetName(name: string): boolean {
  return isZfsName(name, DATASET_NAME);
}
