import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import type { PartialRead } from "../answer/provenance.ts";

/** Skipped items named in an answer; the count covers all of them. */
const MAX_NAMED_ITEMS = 20;
/** Deep enough for every domain's shape (domain -> source -> value -> list); bounds a hostile payload. */
const MAX_DEPTH = 6;

/**
 * What a read that produced data left out: the sources that failed beside the ones that were read
 * (the collector's errors, by `source`, and its SourceResults that are `ok: false`, by key), and the items a parser could not read (`item_errors` beside a
 * list, in a SourceResult or in a domain's own list; `item_errors_dropped` counts those not listed).
 * null when nothing was left out. Entries that vanished while listed (a process exiting during a /proc
 * listing) are not here: they were gone, not skipped.
 */
export function partialOf(data: unknown, errors: readonly EnvelopeError[]): PartialRead | null {
  const failed = new Set(errors.map((e) => e.source ?? e.code));
  const skipped: PartialRead["skipped"] = [];
  let count = 0;
  const walk = (node: unknown, path: string, depth: number): void => {
    if (node === null || typeof node !== "object" || depth > MAX_DEPTH) return;
    if (Array.isArray(node)) return; // lists of items hold no item_errors of their own
    const record = node as Record<string, unknown>;
    // A SourceResult that failed: most collectors report it only in their data, not in `errors`.
    if (record.ok === false && typeof record.error === "object" && record.error !== null) {
      failed.add(path === "" ? "(top)" : path);
      return;
    }
    const itemErrors = record.item_errors;
    if (Array.isArray(itemErrors)) {
      for (const e of itemErrors) {
        count += 1;
        if (skipped.length < MAX_NAMED_ITEMS) {
          const item = e as { name?: unknown; error?: { code?: unknown } };
          skipped.push({
            source: path === "" ? "(top)" : path,
            name: typeof item.name === "string" ? item.name : null,
            code: typeof item.error?.code === "string" ? item.error.code : "PARSE_FAILED",
          });
        }
      }
      const dropped = record.item_errors_dropped;
      if (typeof dropped === "number" && dropped > 0) count += dropped;
    }
    for (const [key, value] of Object.entries(record)) {
      if (key === "item_errors") continue;
      // A SourceResult's value sits under "value": name the source, not "pools.value".
      walk(value, key === "value" ? path : path === "" ? key : `${path}.${key}`, depth + 1);
    }
  };
  walk(data, "", 0);
  if (failed.size === 0 && count === 0) return null;
  return { failed_sources: [...failed].sort(), skipped_items: count, skipped };
}

/**
 * The first error of a domain whose every source (top-level SourceResult) failed, all with one of
 * `codes`: a network or zfs read where the connection was gone is a failed live read, not an answer
 * made of failures. undefined when a source was read, or the data holds no SourceResults.
 */
export function onlyFailures(
  data: unknown,
  codes: ReadonlySet<string>,
): { code: string; message: string } | undefined {
  if (data === null || typeof data !== "object") return undefined;
  const results = Object.values(data).filter(
    (v): v is { ok: boolean; error?: { code: string; message: string } } =>
      typeof v === "object" && v !== null && typeof (v as { ok?: unknown }).ok === "boolean",
  );
  if (results.length === 0 || results.some((r) => r.ok)) return undefined;
  const errors = results.map((r) => r.error).filter((e) => e !== undefined);
  return errors.length === results.length && errors.every((e) => codes.has(e.code)) ? errors[0] : undefined;
}
