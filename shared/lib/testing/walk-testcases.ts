import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ParseClock, ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { AppError } from "@infrastructor/shared/errors.ts";

/**
 * Captured outputs as test-case folders (Telegraf's plugins/inputs/zfs `testcases/<case>/` shape): a new
 * regression case is a folder, not new code.
 *
 *   shared/domains/<d>/agent/testcases/<case>/
 *     <source>.<ext>   one input per parse source of `<D>_PARSE_SOURCES` (`zpool-status.txt`, `ip-addr.json`):
 *                      the bytes the command printed; inputs of one machine state share a case, and
 *                      two outputs of one source there get a variant (`ss.tcp.txt`, `ss.udp.txt`)
 *     PROVENANCE.md    where each input came from, the capture command, licence or derivation
 *     expected.json    per input file, `{ "output": <the parser's value as `agent parse` prints it> }` or
 *                      `{ "error": { "code", "message", "details" } }` for garbage the parser must refuse
 *
 * One test per domain calls `walkTestcases`. `UPDATE_TESTCASES=1` writes expected.json instead of comparing
 * (adding a case: drop the inputs and PROVENANCE.md in, run, review the diff); without it a case with no
 * expected.json fails, so a folder is never silently passed.
 */
export const EXPECTED_FILE = "expected.json";
export const PROVENANCE_FILE = "PROVENANCE.md";

/** The clock every case is parsed against (syslog's year-less stamps), so expected.json does not age. */
export const TESTCASE_CLOCK: ParseClock = { now: new Date("2026-06-15T12:00:00Z"), zone: "utc" };

export type CaseResult =
  | { output: unknown }
  | { error: { code: string; message: string; details?: Record<string, unknown> } };

/** `compare` against expected.json, or `update`: write it (review the diff before committing). */
export type CaseMode = "compare" | "update";

/** Test support reads its one switch here; production code never sees it. */
function modeFromEnv(): CaseMode {
  return process.env.UPDATE_TESTCASES === "1" ? "update" : "compare";
}

export function testcasesDir(agentDir: string): string {
  return join(agentDir, "testcases");
}

/** The case folders under `agentDir/testcases`, sorted. */
export function caseNames(agentDir: string): string[] {
  const dir = testcasesDir(agentDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}

/** A case's input files (everything but PROVENANCE.md and expected.json), sorted. */
export function caseInputs(agentDir: string, name: string): string[] {
  return readdirSync(join(testcasesDir(agentDir), name))
    .filter((f) => f !== EXPECTED_FILE && f !== PROVENANCE_FILE)
    .sort();
}

/** Every input of every case as `<case>/<file>`, e.g. to hold a per-capture table complete. */
export function allCaseInputs(agentDir: string): string[] {
  return caseNames(agentDir).flatMap((c) => caseInputs(agentDir, c).map((f) => `${c}/${f}`));
}

/** The parse source an input file is named after: `zpool-status.txt` -> `zpool-status`, `ss.tcp.txt` -> `ss`. */
export function sourceOf(file: string): string {
  const dot = file.indexOf(".");
  return dot < 0 ? file : file.slice(0, dot);
}

/** Runs one input through its parser; AppErrors become the expected error, anything else is a bug. */
export function runCase(sources: ParseSources, file: string, text: string): CaseResult {
  const source = sources[sourceOf(file)];
  if (!source) {
    throw new Error(
      `${file}: no parse source "${sourceOf(file)}" (known: ${Object.keys(sources).join(", ")})`,
    );
  }
  try {
    // Round-trip through JSON: the value exactly as `agent parse` prints it (no undefined, dates as ISO).
    return { output: JSON.parse(JSON.stringify(source.parse(text, TESTCASE_CLOCK)) ?? "null") };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { error: JSON.parse(JSON.stringify(err.toJSON())) };
  }
}

/** One `describe` per domain, one test per case folder. */
export function walkTestcases(domain: string, agentDir: string, sources: ParseSources): void {
  const cases = caseNames(agentDir);
  const mode = modeFromEnv();
  describe(`${domain} test cases`, () => {
    test("there is at least one case", () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const name of cases) {
      test(name, () => checkCase(agentDir, name, sources, mode));
    }
  });
}

/** Runs one case folder: throws (fails the test) on a missing PROVENANCE.md or expected.json, or a difference. */
export function checkCase(agentDir: string, name: string, sources: ParseSources, mode: CaseMode): void {
  const dir = join(testcasesDir(agentDir), name);
  const inputs = caseInputs(agentDir, name);
  expect(inputs.length, `${name}: no input file`).toBeGreaterThan(0);
  expect(existsSync(join(dir, PROVENANCE_FILE)), `${name}: no ${PROVENANCE_FILE}`).toBe(true);
  const got: Record<string, CaseResult> = {};
  for (const file of inputs) got[file] = runCase(sources, file, readFileSync(join(dir, file), "utf8"));
  const expectedPath = join(dir, EXPECTED_FILE);
  if (mode === "update") {
    writeFileSync(expectedPath, `${JSON.stringify(got, null, 2)}\n`);
    return;
  }
  if (!existsSync(expectedPath)) {
    throw new Error(`${name}: no ${EXPECTED_FILE}; run with UPDATE_TESTCASES=1 and review what it writes`);
  }
  const expected = JSON.parse(readFileSync(expectedPath, "utf8")) as Record<string, CaseResult>;
  expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
  for (const file of inputs) expect(got[file], `${name}/${file}`).toEqual(expected[file] as CaseResult);
}

/** A case input's text, for the hand-written tests that assert on one capture (`<case>/<file>`). */
export function readCaseInput(agentDir: string, path: string): string {
  return readFileSync(join(testcasesDir(agentDir), path), "utf8");
}
