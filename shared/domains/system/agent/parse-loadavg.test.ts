import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseLoadavg } from "./parse-loadavg.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseLoadavg", () => {
  test("node_exporter capture `0.21 0.37 0.39 1/719 19737`", async () => {
    expect(parseLoadavg(await fixture("node-exporter-proc/proc-loadavg.txt"))).toEqual({
      load_1: 0.21,
      load_5: 0.37,
      load_15: 0.39,
    });
  });

  test.each([[""], ["0.21 0.37"], ["a b c 1/2 3"], ["0.1 0.2 0.3 1/2 3\n0.1 0.2 0.3 1/2 3"]])(
    "garbage %j is PARSE_FAILED",
    (text) => {
      expect(() => parseLoadavg(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
    },
  );
});
