import { expect } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * Ways a captured text file stops being what it claims, built from the capture itself: cut at every line
 * boundary, cut in the middle of every line, and two dumps run together (whole, and a cut dump followed
 * by a whole one, as a reader that retried after a short read would produce).
 */
export interface LyingVariant {
  label: string;
  text: string;
  /** The 1-based line a refusal must name, when one line is to blame. */
  line: number | null;
}

/** Every whole-line prefix shorter than the text (at least one line). */
export function cutsAtLineEnds(text: string): LyingVariant[] {
  const lines = text.split("\n").slice(0, -1);
  return lines.slice(0, -1).map((_, i) => ({
    label: `cut after line ${i + 1}`,
    text: `${lines.slice(0, i + 1).join("\n")}\n`,
    line: null,
  }));
}

/** Every line cut in its middle, with nothing after it (no final newline): a read stopped mid-line. */
export function cutsMidLine(text: string): LyingVariant[] {
  const lines = text.split("\n").slice(0, -1);
  return lines.flatMap((line, i) => {
    if (line.trim().length < 2) return [];
    const head = lines.slice(0, i).join("\n");
    const cut = line.slice(0, Math.ceil(line.length / 2));
    return [{ label: `line ${i + 1} cut mid-line`, text: i === 0 ? cut : `${head}\n${cut}`, line: i + 1 }];
  });
}

/** The capture twice, and a cut copy followed by a whole one. */
export function concatenations(text: string): LyingVariant[] {
  const lines = text.split("\n").slice(0, -1);
  const half = `${lines.slice(0, Math.max(1, Math.floor(lines.length / 2))).join("\n")}\n`;
  return [
    { label: "two dumps run together", text: text + text, line: null },
    { label: "a cut dump then a whole one", text: half + text, line: null },
  ];
}

/** Asserts `parse` refuses the variant with PARSE_FAILED (naming its line when the variant has one). */
export function expectRefused(
  parse: (text: string) => unknown,
  variant: LyingVariant,
  capture: string,
): void {
  let thrown: unknown = null;
  try {
    parse(variant.text);
  } catch (err) {
    thrown = err;
  }
  const got = thrown as { code?: string; details?: { line?: unknown } } | null;
  const expected = {
    capture,
    variant: variant.label,
    code: ErrorCode.PARSE_FAILED,
    ...(variant.line === null ? {} : { line: variant.line }),
  };
  expect({
    capture,
    variant: variant.label,
    code: got?.code ?? "accepted",
    ...(variant.line === null ? {} : { line: got?.details?.line }),
  }).toEqual(expected);
}

/** Refused, or read exactly as the whole capture: never a different (wrong) value. */
export function expectRefusedOrSame(
  parse: (text: string) => unknown,
  variant: LyingVariant,
  capture: string,
  whole: unknown,
): void {
  let value: unknown;
  try {
    value = parse(variant.text);
  } catch (err) {
    expect({ capture, variant: variant.label, code: (err as { code?: string }).code }).toEqual({
      capture,
      variant: variant.label,
      code: ErrorCode.PARSE_FAILED,
    });
    return;
  }
  expect({ capture, variant: variant.label, value }).toEqual({
    capture,
    variant: variant.label,
    value: whole,
  });
}
