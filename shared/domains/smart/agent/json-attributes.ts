import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import { type ItemsParse, parseEachItem, type RawItem } from "@infrastructor/lib/collect/parse-items.ts";
import type { SmartAttribute } from "../schema.ts";
import { leadingInteger, whenFailed } from "./ata-counters.ts";
import { AttributeRowSchema } from "./smartctl-json-schema.ts";

const SOURCE = "smartctl --json";

/**
 * `ata_smart_attributes.table`, entry by entry: an entry of the wrong shape (a firmware that fills a
 * field with garbage, a cut-off value) becomes that attribute's ItemError; the other attributes, the
 * counters drawn from them and the health verdict stand.
 */
export function parseJsonAttributes(table: readonly unknown[]): ItemsParse<SmartAttribute> {
  const raw: RawItem<unknown>[] = table.map((entry) => ({
    name: entryName(entry),
    line: null,
    text: (JSON.stringify(entry) ?? String(entry)).slice(0, 200),
    input: entry,
  }));
  return parseEachItem(raw, (item) => toAttribute(item.input, item.name ?? "entry"));
}

function toAttribute(entry: unknown, name: string): SmartAttribute {
  const checked = AttributeRowSchema.safeParse(entry);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const path = issue?.path.join(".") || "entry";
    throw parseFailed(SOURCE, `attribute ${name}: ${path}: ${issue?.message ?? "unreadable"}`);
  }
  const row = checked.data;
  const when = whenFailed(row.when_failed ?? "");
  if (when === undefined) {
    throw parseFailed(SOURCE, `attribute ${name}: unknown when_failed ${JSON.stringify(row.when_failed)}`);
  }
  return {
    id: row.id,
    name: row.name.slice(0, 64),
    value: row.value ?? null,
    worst: row.worst ?? null,
    thresh: row.thresh ?? null,
    kind: row.flags?.prefailure ? "prefail" : "old_age",
    when_failed: when,
    raw: leadingInteger(row.raw.string) ?? row.raw.value,
    raw_string: row.raw.string.slice(0, 128),
  };
}

/** `5 Reallocated_Sector_Ct` when that much of the entry is readable. */
function entryName(entry: unknown): string | null {
  if (typeof entry !== "object" || entry === null) return null;
  const { id, name } = entry as { id?: unknown; name?: unknown };
  const parts = [typeof id === "number" ? String(id) : null, typeof name === "string" ? name : null];
  const joined = parts.filter((p) => p !== null).join(" ");
  return joined === "" ? null : joined.slice(0, 100);
}
