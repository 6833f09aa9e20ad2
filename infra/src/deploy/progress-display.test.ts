import { describe, expect, test } from "bun:test";
import { ProgressDisplay, renderProgressLine } from "./progress-display.ts";

function buffer(isTTY: boolean): { isTTY: boolean; text: string; write(t: string): void } {
  return {
    isTTY,
    text: "",
    write(t: string) {
      this.text += t;
    },
  };
}

test("renderProgressLine: padded name, phase, whole seconds since start, detail", () => {
  expect(
    renderProgressLine({ host: "db", phase: "uploading", detail: "linux-x64", startedMs: 1000 }, 5, 3600),
  ).toBe("db     uploading 3s  linux-x64");
  expect(renderProgressLine({ host: "web-1", phase: "queued", detail: "", startedMs: null }, 5, 0)).toBe(
    "web-1  queued",
  );
});

describe("ProgressDisplay", () => {
  test("not a terminal: one plain line per change, no control characters, repeats dropped", () => {
    let now = 0;
    const out = buffer(false);
    const display = new ProgressDisplay(["a", "bb"], out, () => now);
    display.update("a", "connecting");
    now = 2000;
    display.update("bb", "uploading", "linux-arm64");
    display.update("bb", "uploading", "linux-arm64");
    display.update("a", "done");
    display.update("unknown", "done");
    expect(out.text).toBe("a   connecting 0s\nbb  uploading 0s  linux-arm64\na   done 2s\n");
    expect(out.text).not.toContain("\x1b");
  });

  test("a terminal: every change redraws one line per host in place", () => {
    const out = buffer(true);
    const display = new ProgressDisplay(["a", "b"], out, () => 0);
    expect(out.text).toBe("\x1b[2Ka  queued\n\x1b[2Kb  queued\n");
    out.text = "";
    display.update("b", "installing");
    expect(out.text).toBe("\x1b[2A\x1b[2Ka  queued\n\x1b[2Kb  installing 0s\n");
    expect(display.snapshot().map((p) => p.phase)).toEqual(["queued", "installing"]);
  });
});
