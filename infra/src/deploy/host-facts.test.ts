import { describe, expect, test } from "bun:test";
import { AppError } from "@infrastructor/shared/errors.ts";
import { parseOsRelease, parseUnameMachine } from "./host-facts.ts";

describe("parseUnameMachine", () => {
  test("maps the kernel's names to the agent builds", () => {
    expect([
      parseUnameMachine("x86_64\n"),
      parseUnameMachine("aarch64\n"),
      parseUnameMachine("arm64"),
    ]).toEqual(["x64", "arm64", "arm64"]);
  });

  test("refuses a CPU without a build, with UNSUPPORTED_PLATFORM", () => {
    for (const machine of ["armv7l", "riscv64", "i686", ""]) {
      const err = (() => {
        try {
          parseUnameMachine(machine);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("UNSUPPORTED_PLATFORM");
    }
  });
});

describe("parseOsRelease", () => {
  test("Debian's file: quoted and bare values", () => {
    const text = [
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="12"',
      "ID=debian",
      'HOME_URL="https://www.debian.org/"',
    ].join("\n");
    expect(parseOsRelease(text)).toEqual({
      id: "debian",
      versionId: "12",
      prettyName: "Debian GNU/Linux 12 (bookworm)",
    });
  });

  test("Alpine's, single quotes, escapes, comments and blank lines", () => {
    const text = '# comment\n\nID=\'alpine\'\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine \\"edge\\" \\$x"\n';
    expect(parseOsRelease(text)).toEqual({
      id: "alpine",
      versionId: "3.19.1",
      prettyName: 'Alpine "edge" $x',
    });
  });

  test("no ID, or an ID that is not a plain word, gives linux", () => {
    expect(parseOsRelease("NAME=Something\n").id).toBe("linux");
    expect(parseOsRelease('ID="de bian; rm"\n').id).toBe("linux");
    expect(parseOsRelease("ID=Fedora\n").id).toBe("fedora");
  });
});
