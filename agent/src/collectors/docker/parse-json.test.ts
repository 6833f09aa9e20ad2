import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { locateSyntaxError, parseApiJson } from "./parse-json.ts";

const lineOf = (text: string): number => text.slice(0, locateSyntaxError(text).offset).split("\n").length;

describe("locateSyntaxError", () => {
  test.each([
    ['{\n  "a": 1,\n  "b": [1, 2\n', 4, "truncated"],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, "unexpected"],
    ['[\n  {"a": 1}\n  {"b": 2}\n]', 3, "expected ]"],
    ['{"a": 1}\nxx', 2, "text after"],
    ['{\n  "a": "unterminated\n}', 2, "line break inside a string"],
  ])("%j: line %d", (text, line, reason) => {
    expect(lineOf(text)).toBe(line);
    expect(locateSyntaxError(text).reason).toContain(reason);
  });
});

describe("parseApiJson", () => {
  const shape = z.array(z.object({ Id: z.string(), Ports: z.array(z.object({ PrivatePort: z.number() })) }));

  test("keeps only the declared keys", () => {
    expect(parseApiJson('[{"Id": "a", "Ports": [], "Env": ["X=1"]}]', "t", shape)).toEqual([
      { Id: "a", Ports: [] },
    ]);
  });

  test("a wrong shape names its JSON path", () => {
    expect(() => parseApiJson('[{"Id": "a", "Ports": [{"PrivatePort": "80"}]}]', "t", shape)).toThrow(
      "[0].Ports[0].PrivatePort",
    );
  });
});
