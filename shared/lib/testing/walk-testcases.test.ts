import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { allCaseInputs, checkCase, runCase, sourceOf } from "./walk-testcases.ts";

/** A parser of our own for the walker's rules: numbers per line, refusing a line that is not one. */
const SOURCES: ParseSources = {
  numbers: {
    describe: "one integer per line",
    parse: (text) =>
      text
        .trim()
        .split("\n")
        .map((l, i) => {
          if (!/^\d+$/.test(l))
            throw new AppError(ErrorCode.PARSE_FAILED, "not a number", { details: { line: i + 1 } });
          return Number(l);
        }),
  },
};

const root = mkdtempSync(join(tmpdir(), "walk-testcases-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function caseFolder(name: string, files: Record<string, string>): void {
  mkdirSync(join(root, "testcases", name), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, "testcases", name, file), text);
}

describe("the test-case walker", () => {
  test("an input is named after its parse source, with an optional variant", () => {
    expect([sourceOf("zpool-status.txt"), sourceOf("ss.tcp.txt"), sourceOf("numbers")]).toEqual([
      "zpool-status",
      "ss",
      "numbers",
    ]);
  });

  test("a case with no expected.json fails, never passes silently", () => {
    caseFolder("fresh", { "numbers.txt": "1\n2\n", "PROVENANCE.md": "ours\n" });
    expect(() => checkCase(root, "fresh", SOURCES, "compare")).toThrow(/no expected\.json/);
  });

  test("update writes expected.json; compare then passes, and fails once a value differs", () => {
    caseFolder("pinned", { "numbers.txt": "1\n2\n", "numbers.bad.txt": "1\nx\n", "PROVENANCE.md": "ours\n" });
    checkCase(root, "pinned", SOURCES, "update");
    const path = join(root, "testcases", "pinned", "expected.json");
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      "numbers.bad.txt": { error: { code: "PARSE_FAILED", message: "not a number", details: { line: 2 } } },
      "numbers.txt": { output: [1, 2] },
    });
    checkCase(root, "pinned", SOURCES, "compare");
    writeFileSync(path, readFileSync(path, "utf8").replace("2\n", "3\n"));
    expect(() => checkCase(root, "pinned", SOURCES, "compare")).toThrow();
  });

  test("a case without PROVENANCE.md, or with an input no parser reads, fails", () => {
    caseFolder("unsourced", { "numbers.txt": "1\n" });
    expect(() => checkCase(root, "unsourced", SOURCES, "update")).toThrow();
    caseFolder("stray", { "letters.txt": "a\n", "PROVENANCE.md": "ours\n" });
    expect(() => runCase(SOURCES, "letters.txt", "a\n")).toThrow(/no parse source "letters"/);
    expect(() => checkCase(root, "stray", SOURCES, "update")).toThrow(/no parse source/);
  });

  test("allCaseInputs lists every input as <case>/<file>", () => {
    expect(allCaseInputs(root)).toContain("pinned/numbers.bad.txt");
    expect(allCaseInputs(root)).not.toContain("pinned/expected.json");
  });
});
