import { describe, expect, test } from "bun:test";
import {
  concatenations,
  cutsAtLineEnds,
  cutsMidLine,
  expectRefused,
} from "@infrastructor/lib/testing/lying-input.ts";
import { parseApkUpgradable } from "./parse-apk.ts";
import { parseAptUpgradable } from "./parse-apt.ts";
import { parseDnfCheckUpdate } from "./parse-dnf.ts";
import { parsePacmanUpdates } from "./parse-pacman.ts";
import { testdata } from "./testing/captures.ts";

/**
 * Listings that are not what they claim, made from every listing capture: cut in the middle of any line
 * (a short read: the count would be low) is refused naming that line; apt output run together twice is
 * refused; a cut at a line end lists a prefix of the same packages, never other ones.
 */
const CASES = [
  ["thefuck-apt-list-upgradable-zesty/apt.txt", parseAptUpgradable],
  ["debian12-apt-list-upgradable/apt.txt", parseAptUpgradable],
  ["handwritten-apt-list-upgradable-security/apt.txt", parseAptUpgradable],
  ["handwritten-dnf-check-update/dnf.txt", parseDnfCheckUpdate],
  ["handwritten-dnf5-check-update/dnf.txt", parseDnfCheckUpdate],
  ["handwritten-checkupdates/pacman.txt", parsePacmanUpdates],
  ["handwritten-pacman-qu/pacman.txt", parsePacmanUpdates],
  ["handwritten-apk-list-u/apk.txt", parseApkUpgradable],
] as const;

describe("a cut or doubled listing is refused, never counted short", () => {
  test.each(CASES)("%s", async (name, parse) => {
    const text = await testdata(name);
    const whole = parse(text);
    const mid = cutsMidLine(text);
    expect(mid.length).toBeGreaterThan(0);
    for (const variant of mid) expectRefused(parse, variant, name);
    for (const variant of cutsAtLineEnds(text)) {
      let got: ReturnType<typeof parse>;
      try {
        got = parse(variant.text);
      } catch {
        continue; // refused is always acceptable
      }
      // The packages read are the first ones of the whole listing, each exactly as there.
      const readable = got.items;
      expect({ variant: variant.label, items: readable }).toEqual({
        variant: variant.label,
        items: whole.items.slice(0, readable.length),
      });
    }
    if (parse === parseAptUpgradable) {
      for (const variant of concatenations(text)) expectRefused(parse, variant, name);
    }
  });
});
