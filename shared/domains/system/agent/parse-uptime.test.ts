import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseUptime } from "./parse-uptime.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseUptime", () => {
  test("handwritten sample: the first field is the uptime", async () => {
    expect(parseUptime(await fixture("handwritten-proc-uptime/proc-uptime.txt"))).toBe(350735.47);
  });

  test.each([[""], ["12.5"], ["-1 2"], ["up 3 days"]])("garbage %j is PARSE_FAILED", (text) => {
    expect(() => parseUptime(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
