/**
 * Items grouped by a key, in the order the keys are first met and, within a group, the items' order.
 * (Map.groupBy does this from ES2024; the project targets ES2023.) Each item is appended in place:
 * copying the group per item, as `[...(m.get(k) ?? []), item]` does, is quadratic in a large group.
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
