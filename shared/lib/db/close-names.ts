/**
 * Names near a mistyped one, for NOT_FOUND answers: a model that asked for "nsa" should read "did you
 * mean nas", not the first twenty names of the fleet in alphabetical order.
 */

/**
 * Edit distance counting an adjacent transposition as one edit (optimal string alignment, the
 * restricted Damerau-Levenshtein): "nsa" is one edit from "nas", as a typist would count it.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const up = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * How far a name may be from what was asked and still be suggested: a third of the longer name, at
 * least 2 (short host names: "nas" vs "nsa1"). Beyond that a suggestion is noise, not help.
 */
export function maxSuggestDistance(wanted: string): number {
  return Math.max(2, Math.floor(wanted.length / 3));
}

/**
 * Up to `max` names nearest to `wanted` (case-insensitive), nearest first, ties in name order. A name
 * that contains what was asked, or is contained in it ("web" for "web01"), counts as close whatever its
 * distance. Names beyond maxSuggestDistance are left out: the answer may be empty.
 */
export function closestNames(names: readonly string[], wanted: string, max = 3): string[] {
  const w = wanted.toLowerCase();
  const limit = maxSuggestDistance(w);
  return names
    .map((name) => {
      const n = name.toLowerCase();
      const distance = editDistance(n, w);
      const contains = n.length > 0 && w.length > 0 && (n.includes(w) || w.includes(n));
      return { name, distance, close: distance <= limit || contains };
    })
    .filter((x) => x.close)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((x) => x.name);
}
