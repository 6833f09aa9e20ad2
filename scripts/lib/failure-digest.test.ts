import { expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { failedTests } from "./failure-digest.ts";

test("a real bun junit report: the failed hook and the failed test with their errors, not the passing one", async () => {
  const dir = await mkdtemp(join(tmpdir(), "failure-digest-"));
  try {
    await writeFile(
      join(dir, "sample.test.ts"),
      [
        'import { beforeAll, describe, expect, test } from "bun:test";',
        'describe("hook", () => {',
        '  beforeAll(() => { throw new Error("the server <did not> start & said \\"no\\""); });',
        '  test("never runs", () => {});',
        "});",
        'test("passes", () => { expect(1).toBe(1); });',
        'test("fails", () => { expect("left").toBe("right"); });',
      ].join("\n"),
    );
    const run = Bun.spawnSync(
      ["bun", "test", "--reporter=junit", "--reporter-outfile=report.xml", "sample.test.ts"],
      {
        cwd: dir,
        stdout: "pipe",
        stderr: "pipe",
      },
    );
    expect(run.exitCode).toBe(1);
    const failed = failedTests(await Bun.file(join(dir, "report.xml")).text());
    expect(failed.map((f) => f.name)).toEqual(["hook > (unnamed)", "fails"]);
    expect(failed[0]?.error).toContain('the server <did not> start & said "no"');
    expect(failed[1]?.error).toContain("right");
    expect(failed.every((f) => f.file.endsWith("sample.test.ts"))).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
