import { describe, expect, test } from "bun:test";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import {
  expectItemIsolation,
  type ItemSegments,
  splitLines,
  textDamages,
} from "@infrastructor/lib/testing/item-isolation.ts";
import type { PendingUpdate } from "../schema.ts";
import { parseApkUpgradable } from "./parse-apk.ts";
import { parseAptUpgradable } from "./parse-apt.ts";
import { parseDnfCheckUpdate } from "./parse-dnf.ts";
import { parsePacmanUpdates } from "./parse-pacman.ts";
import { testdata } from "./testing/captures.ts";

/**
 * Per-item isolation over every package listing in testcases/ (the two captures of
 * ../shared/fixtures/updates (the shared fixture collection) are among them, byte for byte): damaging one package line leaves every
 * other package parsed exactly as before. (The `apt update` notice capture is not a listing: it is
 * refused whole, see parse-apt.test.ts.)
 */
type Parse = (text: string) => ItemsParse<PendingUpdate>;
type Key = (u: PendingUpdate) => string;

/** Each package's key as its line spells it, so the harness knows which line an item comes from. */
const byName: Key = (u) => u.name;
const dnfKey: Key = (u) => `${u.name}.${u.arch}`;
const apkKey: Key = (u) => `${u.name}-${u.available_version}`;

/** dnf: a wrapped name and its indented figures are one item. */
function splitDnf(text: string): ItemSegments {
  const lines = text.slice(0, -1).split("\n");
  const items: string[] = [];
  for (const line of lines) {
    const last = items.length - 1;
    if (last >= 0 && /^\s/.test(line) && /^\S+\.\S+$/.test(items[last] ?? "")) items[last] += `\n${line}`;
    else items.push(line);
  }
  return { prefix: "", items, separator: "\n", suffix: "\n" };
}

const CASES: [string, Parse, (text: string) => ItemSegments, Key][] = [
  ["thefuck-apt-list-upgradable-zesty/apt.txt", parseAptUpgradable, splitLines(1), byName],
  ["debian12-apt-list-upgradable/apt.txt", parseAptUpgradable, splitLines(4), byName],
  ["handwritten-dnf-check-update/dnf.txt", parseDnfCheckUpdate, splitDnf, dnfKey],
  ["handwritten-dnf5-check-update/dnf.txt", parseDnfCheckUpdate, splitDnf, dnfKey],
  ["handwritten-checkupdates/pacman.txt", parsePacmanUpdates, splitLines(0), byName],
  ["handwritten-pacman-qu/pacman.txt", parsePacmanUpdates, splitLines(0), byName],
  ["handwritten-apk-list-u/apk.txt", parseApkUpgradable, splitLines(0), apkKey],
];

describe("one unreadable package line never hides the others", () => {
  test.each(CASES)("%s", async (name, parse, split, key) => {
    const checked = expectItemIsolation({
      label: name,
      text: await testdata(name),
      split,
      parse,
      key,
    });
    expect(checked).toBeGreaterThan(0);
  });

  // One package for two architectures (libc6 i386 and amd64) shares its name, the harness's key: every
  // other line's package must still be there, whatever the damage.
  test("handwritten-apt-list-upgradable-security/apt.txt (multi-arch)", async () => {
    const text = await testdata("handwritten-apt-list-upgradable-security/apt.txt");
    const { prefix, items, separator, suffix } = splitLines(1)(text);
    const whole = parseAptUpgradable(text);
    expect(whole.errors).toEqual([]);
    let checked = 0;
    items.forEach((segment, index) => {
      const others = parseAptUpgradable(
        prefix + items.filter((_, i) => i !== index).join(separator) + suffix,
      );
      for (const damaged of textDamages(segment)) {
        const got = parseAptUpgradable(
          prefix + items.map((s, i) => (i === index ? damaged : s)).join(separator) + suffix,
        );
        expect(got.items).toEqual(expect.arrayContaining(others.items));
        checked += 1;
      }
    });
    expect(checked).toBeGreaterThan(0);
  });
});
