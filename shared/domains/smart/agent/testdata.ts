import { allCaseInputs, readCaseInput, sourceOf } from "@infrastructor/lib/testing/walk-testcases.ts";

/** A captured output of testcases/, named `<case>/<file>` (found from this file, never by absolute path). */
export function testdata(path: string): string {
  return readCaseInput(import.meta.dir, path);
}

/** The inputs of testcases/ read by one parse source, sorted. */
function inputsOf(source: string): string[] {
  return allCaseInputs(import.meta.dir).filter((p) => sourceOf(p.slice(p.indexOf("/") + 1)) === source);
}

/** Every `smartctl -a/-x -j` output of one device (not scans). */
export const DEVICE_JSON = inputsOf("smartctl-json");
/** Every plain-text smartctl output. */
export const DEVICE_TEXT = inputsOf("smartctl-text");
