import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The captured outputs of testcases/ (found relative to this file, never by absolute path). Plain fs on
 * purpose: this folder is agent code to the lint rule, which keeps shared/lib/testing out of it.
 */
const TESTCASES = join(import.meta.dir, "..", "testcases");

/** A captured output, named `<case>/<file>`. */
export function testdata(path: string): string {
  return readFileSync(join(TESTCASES, path), "utf8");
}

/** The inputs of testcases/ read by one parse source (`<source>.<ext>`, shared/lib/testing/walk-testcases.ts), sorted. */
function inputsOf(source: string): string[] {
  return readdirSync(TESTCASES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join(TESTCASES, entry.name))
        .filter((file) => file.startsWith(`${source}.`))
        .map((file) => `${entry.name}/${file}`),
    )
    .sort();
}

/** Every `smartctl -a/-x -j` output of one device (not scans). */
export const DEVICE_JSON = inputsOf("smartctl-json");
/** Every plain-text smartctl output. */
export const DEVICE_TEXT = inputsOf("smartctl-text");
