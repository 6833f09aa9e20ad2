import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { failure } from "../testing/failure.ts";
import { checkShape, jsonPath, locateSyntaxError, parseJson, parseJsonText } from "./parse-json.ts";

const lineOf = (text: string): number => text.slice(0, locateSyntaxError(text).offset).split("\n").length;

describe("locateSyntaxError", () => {
  test.each([
    ['{\n  "a": 1,\n  "b": [1, 2\n', 3, "truncated"],
    ['{\n  "a": 1,\n  "b": [1, 2', 3, "truncated"],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, "unexpected"],
    ['[\n  {"a": 1}\n  {"b": 2}\n]', 3, "expected ]"],
    ['{"a": 1}\nxx', 2, "text after"],
    ['{\n  "a": "unterminated\n}', 2, "line break inside a string"],
  ])("%j: line %d", (text, line, reason) => {
    expect(lineOf(text)).toBe(line);
    expect(locateSyntaxError(text).reason).toContain(reason);
  });
});

describe("parseJsonText", () => {
  test("a cut document is PARSE_FAILED naming its last line and showing it", () => {
    const err = failure(() => parseJsonText("t", '[\n  {\n    "Name": "bridge",\n'));
    expect([err.code, err.message]).toEqual([ErrorCode.PARSE_FAILED, expect.stringContaining("(line 3)")]);
    expect(err.details).toMatchObject({ source: "t", line: 3, excerpt: '    "Name": "bridge",' });
  });

  test("empty input names line 1", () => {
    expect(failure(() => parseJsonText("t", " \n")).details).toMatchObject({ line: 1 });
  });
});

describe("checkShape and parseJson", () => {
  const shape = z.array(z.object({ Id: z.string(), Ports: z.array(z.object({ PrivatePort: z.number() })) }));

  test("keeps only the declared keys", () => {
    expect(parseJson("t", '[{"Id": "a", "Ports": [], "Env": ["X=1"]}]', shape)).toEqual([
      { Id: "a", Ports: [] },
    ]);
  });

  test("a wrong shape names its JSON path", () => {
    const err = failure(() => parseJson("t", '[{"Id": "a", "Ports": [{"PrivatePort": "80"}]}]', shape));
    expect(err.message).toContain("[0].Ports[0].PrivatePort");
    expect(err.details).toMatchObject({ excerpt: "[0].Ports[0].PrivatePort" });
  });

  test("a wrong top level says so", () => {
    expect(failure(() => checkShape("t", shape, {})).message).toContain("the top level");
  });

  test("locate adds the line to look at", () => {
    const err = failure(() => checkShape("t", z.object({ a: z.number() }), { a: "x" }, () => ({ line: 7 })));
    expect(err.details).toMatchObject({ line: 7, excerpt: "a" });
  });
});

test("jsonPath", () => {
  expect([jsonPath([3, "time"]), jsonPath(["a", 0, "b"]), jsonPath([])]).toEqual(["[3].time", "a[0].b", ""]);
});
