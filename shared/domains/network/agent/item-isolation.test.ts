import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import {
  expectItemIsolation,
  type ItemSegments,
  splitLines,
} from "@infrastructor/lib/testing/item-isolation.ts";
import type { Interface, ListeningPort, Neighbour, Route } from "../schema.ts";
import { parseIpAddr, parseIpNeigh, parseIpRoute } from "./parse-ip.ts";
import { parseSs } from "./parse-ss.ts";

/**
 * Per-item isolation over every real capture of the network domain's lists: one interface, address,
 * route, neighbour (JSON elements) or socket line damaged leaves every other item parsed as before.
 */
const testdata = (name: string): string => readFileSync(join(import.meta.dir, "testcases", name), "utf8");

/** A top-level JSON array cut into its elements' texts (iproute2 prints it on one line). */
function splitJsonArray(text: string): ItemSegments {
  const open = text.indexOf("[");
  const close = text.lastIndexOf("]");
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let start = open + 1;
  for (let i = open + 1; i < close; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start, close));
  return { prefix: text.slice(0, open + 1), items, separator: ",", suffix: text.slice(close) };
}

/**
 * Damage that keeps the JSON valid (a cut element is a cut document, refused whole): each field dropped
 * in turn, every number made a word, an address made impossible, the element replaced by a scalar.
 */
function jsonDamages(segment: string): string[] {
  const element = JSON.parse(segment) as Record<string, unknown>;
  const damages = Object.keys(element).map((key) => {
    const { [key]: _, ...rest } = element;
    return JSON.stringify(rest);
  });
  damages.push(JSON.stringify(element, (_, value) => (typeof value === "number" ? "x9z" : value)));
  damages.push(segment.replace(/"(local|dst|gateway)":"[^"]*"/g, '"$1":"999.1.2.3"'));
  damages.push('"x9z"', "null");
  return [...new Set(damages)].filter((d) => d !== segment);
}

/** Keys as the capture spells them, so the harness knows which element an item came from. */
const routeKey = (r: Route): string =>
  [`"dst":"${r.dst}"`, r.gateway && `"gateway":"${r.gateway}"`, r.dev && `"dev":"${r.dev}"`]
    .filter(Boolean)
    .join(",");
const neighKey = (n: Neighbour): string => `"dst":"${n.address}","dev":"${n.dev}"`;
const portKey = (p: ListeningPort): string =>
  p.address.includes(":") ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`;

const JSON_CASES = [
  ["local-dev-vm/ip-addr.json", parseIpAddr, (i: Interface) => `"ifname":"${i.name}"`],
  ["local-dev-vm/ip-route.json", parseIpRoute, routeKey],
  ["local-dev-vm/ip-route.v6.json", parseIpRoute, routeKey],
  ["local-dev-vm/ip-neigh.json", parseIpNeigh, neighKey],
] as const;

describe("one unreadable network item never hides the others", () => {
  test.each(JSON_CASES)("%s", (name, parse, key) => {
    const checked = expectItemIsolation({
      label: name,
      text: testdata(name),
      split: splitJsonArray,
      parse: parse as (text: string) => ItemsParse<unknown>,
      key: key as (item: unknown) => string,
      damages: jsonDamages,
    });
    expect(checked).toBeGreaterThan(0);
  });

  test.each(["local-dev-vm/ss.tcp.txt", "local-dev-vm/ss.udp.txt"])("%s", (name) => {
    const checked = expectItemIsolation({
      label: name,
      text: testdata(name),
      split: splitLines(0),
      parse: parseSs,
      key: portKey,
    });
    expect(checked).toBeGreaterThan(0);
  });
});
