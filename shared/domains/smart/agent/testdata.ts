import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The captured outputs beside the tests (found relative to this file, never by absolute path). */
export const TESTDATA_DIR = join(import.meta.dir, "testdata");

export function testdata(name: string): string {
  return readFileSync(join(TESTDATA_DIR, name), "utf8");
}

export function testdataNames(filter: (name: string) => boolean): string[] {
  return readdirSync(TESTDATA_DIR).filter(filter).sort();
}

/** Every `smartctl -a/-x -j` output of one device (not scans). */
export const DEVICE_JSON = testdataNames((n) => n.endsWith(".json") && !n.includes("scan"));
/** Every plain-text smartctl output. */
export const DEVICE_TEXT = testdataNames((n) => n.endsWith(".txt") && !n.includes("scan"));
