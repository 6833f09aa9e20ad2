import { expect, test } from "bun:test";
import { closestNames, editDistance } from "./close-names.ts";
import { unknownDevice } from "./unknown-device.ts";

test("edit distance counts a swap of neighbours as one edit", () => {
  expect(editDistance("nas", "nsa")).toBe(1);
  expect(editDistance("nas", "nas")).toBe(0);
  expect(editDistance("", "web")).toBe(3);
  expect(editDistance("kitten", "sitting")).toBe(3);
  expect(editDistance("web01", "wbe10")).toBe(2);
});

/** A fleet of 200 where the right answer is far down the alphabet. */
const fleet = [
  ...Array.from({ length: 196 }, (_, i) => `aaa-host-${String(i).padStart(3, "0")}`),
  "nas",
  "nas2",
  "web01",
  "zulu-backup",
];

test("the closest names come first, not the first ones alphabetically", () => {
  expect(closestNames(fleet, "nsa")).toEqual(["nas", "nas2"]);
  expect(closestNames(fleet, "web1")).toEqual(["web01"]);
  expect(closestNames(fleet, "zulu-bakcup")).toEqual(["zulu-backup"]);
  expect(closestNames(fleet, "NAS3")).toEqual(["nas", "nas2"]);
});

test("a name containing what was asked is close whatever its length", () => {
  expect(closestNames(["backup-server-primary", "db"], "backup")).toEqual(["backup-server-primary"]);
});

test("nothing within a sensible distance suggests nothing", () => {
  expect(closestNames(fleet, "printer")).toEqual([]);
});

test("at most three suggestions", () => {
  expect(closestNames(["web1", "web2", "web3", "web4"], "web")).toHaveLength(3);
});

test("NOT_FOUND on a large fleet names the closest devices", () => {
  const e = unknownDevice("nsa", fleet);
  expect(e.code).toBe("NOT_FOUND");
  expect(e.message).toBe(
    'no device named "nsa"; did you mean nas, nas2? (200 devices; list_devices shows all)',
  );
  expect(e.message).not.toContain("aaa-host-000");
  expect(unknownDevice("printer", fleet).message).toBe(
    'no device named "printer"; no similar name among 200 devices (list_devices shows all)',
  );
});

test("NOT_FOUND on a small fleet with nothing close lists it whole", () => {
  expect(unknownDevice("nope", ["nas", "web"]).message).toBe(
    'no device named "nope"; known devices: nas, web',
  );
  expect(unknownDevice("x", []).message).toBe('no device named "x"; known devices: none yet');
});
