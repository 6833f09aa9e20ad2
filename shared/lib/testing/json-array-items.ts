import type { ItemSegments } from "./item-isolation.ts";

/**
 * A JSON document cut into the elements of one of its arrays (the top-level array, or the one after
 * `"key":`), for expectItemIsolation: each element's text with its surrounding whitespace, so that
 * prefix + items.join(",") + suffix is the document again.
 */
export function splitJsonArray(key?: string): (text: string) => ItemSegments {
  return (text) => {
    const open = arrayStart(text, key);
    const items: string[] = [];
    let depth = 0;
    let inString = false;
    let start = open + 1;
    for (let i = open + 1; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "[" || c === "{") depth++;
      else if ((c === "]" || c === "}") && depth > 0) depth--;
      else if (c === "," && depth === 0) {
        items.push(text.slice(start, i));
        start = i + 1;
      } else if (c === "]" && depth === 0) {
        const last = text.slice(start, i);
        if (items.length > 0 || last.trim() !== "") items.push(last);
        return { prefix: text.slice(0, open + 1), items, separator: ",", suffix: text.slice(i) };
      }
    }
    throw new Error("splitJsonArray: the array does not end");
  };
}

function arrayStart(text: string, key: string | undefined): number {
  const from = key === undefined ? 0 : text.indexOf(`"${key}"`);
  if (from < 0) throw new Error(`splitJsonArray: no "${key}" in the document`);
  const open = text.indexOf("[", from);
  if (open < 0) throw new Error("splitJsonArray: no array");
  return open;
}

/**
 * Damages one JSON element into another valid JSON value, so that the document stays JSON and only
 * that element is wrong: not an object at all, an empty object, and each given field of the wrong
 * type (e.g. `{"Id": 42}`, `{"Names": "x"}`). A cut element is not among them: a truncated element
 * makes the whole document invalid, which is the whole output's failure, not one item's.
 */
export function jsonElementDamages(
  ...wrongFields: [field: string, value: unknown][]
): (segment: string) => string[] {
  return (segment) => {
    const lead = /^\s*/.exec(segment)?.[0] ?? "";
    const trail = /\s*$/.exec(segment)?.[0] ?? "";
    const element = JSON.parse(segment) as unknown;
    const damages = ["null", "42", '"garbled"', "{}", "[]"];
    if (typeof element === "object" && element !== null && !Array.isArray(element)) {
      for (const [field, value] of wrongFields) {
        damages.push(JSON.stringify({ ...element, [field]: value }));
        damages.push(JSON.stringify({ [field]: value }));
      }
    }
    return damages.map((d) => `${lead}${d}${trail}`);
  };
}
