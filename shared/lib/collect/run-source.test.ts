import { describe, expect, test } from "bun:test";
import { ScriptedExecutor, type ScriptedOutput } from "@infrastructor/lib/testing/scripted-executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { optionalSource, runText, sourceError, toSourceResult } from "./run-source.ts";

/** Every command prints `result` (exit 0, no output unless it says otherwise). */
function answering(result: ScriptedOutput): ScriptedExecutor {
  return new ScriptedExecutor(() => result);
}

describe("runText", () => {
  test("stdout of a command, even one that exits non-zero with output", async () => {
    expect(await runText(answering({ stdout: "a\n" }), ["x"])).toBe("a\n");
    expect(await runText(answering({ exitCode: 1, stdout: "b\n" }), ["x"])).toBe("b\n");
  });

  test("non-zero and silent is COMMAND_FAILED with stderr", async () => {
    const err = await runText(answering({ exitCode: 2, stderr: "nope\n" }), ["x", "-y"]).catch((e) => e);
    expect([err.code, err.message, err.details]).toEqual([
      ErrorCode.COMMAND_FAILED,
      "x -y exited 2: nope",
      { exit_code: 2 },
    ]);
  });

  test("output cut at the cap is PARSE_FAILED naming the last line", async () => {
    const err = await runText(answering({ stdout: "a\nb\nc", truncated: true }), ["x"]).catch((e) => e);
    expect([err.code, err.details]).toEqual([ErrorCode.PARSE_FAILED, { source: "x", line: 3, excerpt: "c" }]);
  });
});

describe("toSourceResult and optionalSource", () => {
  test("a value, or what was thrown as data", async () => {
    expect(await toSourceResult(async () => 1)).toEqual({ ok: true, value: 1 });
    expect(await toSourceResult(async () => Promise.reject(new Error("boom")))).toEqual({
      ok: false,
      error: { code: ErrorCode.COMMAND_FAILED, message: "boom" },
    });
  });

  test("a tool that is not installed is absent", async () => {
    const missing = async (): Promise<never> =>
      Promise.reject(new AppError(ErrorCode.COMMAND_MISSING, "no x"));
    expect(await optionalSource(missing)).toBeNull();
  });
});

test("sourceError keeps the code, takes the fallback for anything else, cuts the message", () => {
  expect(sourceError(new AppError(ErrorCode.NOT_FOUND, "gone"))).toEqual({
    code: ErrorCode.NOT_FOUND,
    message: "gone",
  });
  expect(sourceError("x".repeat(2000), ErrorCode.READ_FAILED)).toEqual({
    code: ErrorCode.READ_FAILED,
    message: "x".repeat(1000),
  });
});
