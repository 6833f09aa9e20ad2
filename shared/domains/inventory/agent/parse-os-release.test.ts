import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseOsRelease } from "./parse-os-release.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseOsRelease", () => {
  test("Debian 12 captured on this machine", async () => {
    expect(parseOsRelease(await fixture("local-dev-vm/os-release.txt"))).toEqual({
      id: "debian",
      name: "Debian GNU/Linux",
      version_id: "12",
      pretty_name: "Debian GNU/Linux 12 (bookworm)",
    });
  });

  test("comments, single quotes and escaped double quotes (handwritten from os-release(5))", async () => {
    expect(parseOsRelease(await fixture("handwritten-os-release-quoting/os-release.txt"))).toEqual({
      id: "fedora",
      name: "Fedora Linux",
      version_id: "39",
      pretty_name: 'Fedora Linux 39 "Server" Edition',
    });
  });

  test("the spec's defaults when ID and NAME are absent", () => {
    expect(parseOsRelease("VERSION_ID=1\n")).toMatchObject({ id: "linux", name: "Linux" });
  });

  test.each([
    ["empty", "", undefined],
    ["not KEY=value", "ID=debian\nthis is not os-release\n", 2],
    ["unterminated quote", 'ID=debian\nNAME="Debian\n', 2],
    ["unquoted space", "NAME=Debian GNU\n", 1],
  ])("garbage (%s) is PARSE_FAILED naming the line", (_, text, line) => {
    expect(() => parseOsRelease(text)).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        ...(line === undefined ? {} : { details: expect.objectContaining({ line }) }),
      }),
    );
  });
});
