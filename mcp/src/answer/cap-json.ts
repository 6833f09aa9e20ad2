/**
 * Shrinks a JSON value until its serialization fits `maxChars`: every array at any depth keeps only
 * its first items (20, then 5, 1, 0) and long strings are cut, so the shape stays readable. Says how
 * far it had to go; `keptItems: null` means the value was left whole.
 */
export interface CappedJson {
  value: unknown;
  truncated: boolean;
  /** How many leading items each array kept; null when nothing was cut. */
  keptItems: number | null;
  /** Length of the whole value's JSON. */
  fullChars: number;
}

const STEPS = [20, 5, 1, 0] as const;
const MAX_STRING = 200;

export function capJson(value: unknown, maxChars: number): CappedJson {
  const full = JSON.stringify(value ?? null);
  if (full.length <= maxChars) return { value, truncated: false, keptItems: null, fullChars: full.length };
  for (const keep of STEPS) {
    const shrunk = shrink(value, keep);
    if (JSON.stringify(shrunk).length <= maxChars) {
      return { value: shrunk, truncated: true, keptItems: keep, fullChars: full.length };
    }
  }
  return { value: null, truncated: true, keptItems: 0, fullChars: full.length };
}

function shrink(value: unknown, keep: number): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) return value.slice(0, keep).map((item) => shrink(item, keep));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrink(v, keep)]));
  }
  return value;
}
