import { describe, expect, test } from "bun:test";
import { failure } from "@infrastructor/lib/testing/failure.ts";
import { parseAptUpgradable } from "./parse-apt.ts";
import { testdata } from "./testing/captures.ts";

describe("parseAptUpgradable", () => {
  test("Ubuntu 17.04 capture: suites de-duplicated, epochs kept, none security", async () => {
    const { items: updates, errors } = parseAptUpgradable(
      await testdata("thefuck-apt-list-upgradable-zesty/apt.txt"),
    );
    expect(errors).toEqual([]);
    expect(updates).toHaveLength(4);
    expect(updates[0]).toEqual({
      name: "heroku",
      arch: "amd64",
      current_version: "6.14.43-1",
      available_version: "6.15.2-1",
      repository: "stable",
      kind: "regular",
    });
    expect(updates[1]?.repository).toBe("zesty-updates");
    expect(updates[2]?.available_version).toBe("1:4.3-3ubuntu2.17.04.1");
    expect(updates.every((u) => u.kind === "regular")).toBe(true);
  });

  test("Debian 12 capture with the WARNING line and a `Listing...` header without Done", async () => {
    const text = await testdata("debian12-apt-list-upgradable/apt.txt");
    const { items: updates, errors } = parseAptUpgradable(text);
    expect(errors).toEqual([]);
    expect(updates.length).toBe(text.split("\n").filter((l) => l.includes("[upgradable from:")).length);
    expect(updates.length).toBeGreaterThan(50);
    expect(updates.find((u) => u.name === "bash")).toMatchObject({ arch: "amd64", repository: "oldstable" });
  });

  test("security suites flag the update; multi-arch packages stay apart", async () => {
    const updates = parseAptUpgradable(
      await testdata("handwritten-apt-list-upgradable-security/apt.txt"),
    ).items;
    expect(updates.map((u) => [u.name, u.arch, u.kind])).toEqual([
      ["libssl3", "amd64", "security"],
      ["openssl", "amd64", "security"],
      ["libc6", "i386", "security"],
      ["libc6", "amd64", "security"],
      ["tzdata", "all", "regular"],
    ]);
  });

  test("no updates: the header alone is an empty list", () => {
    expect(parseAptUpgradable("Listing... Done\n")).toEqual({ items: [], errors: [] });
    expect(parseAptUpgradable("")).toEqual({ items: [], errors: [] });
  });

  test("apt update's notice is not `apt list` output: PARSE_FAILED on its first line", async () => {
    const text = await testdata("thefuck-apt-update-then-upgradable-notice/apt.txt");
    const err = failure(() => parseAptUpgradable(text));
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details).toMatchObject({ line: 1, excerpt: text.split("\n")[0] });
  });

  test("a truncated last line fails naming it", async () => {
    const text = (await testdata("thefuck-apt-list-upgradable-zesty/apt.txt")).slice(0, 120);
    const err = failure(() => parseAptUpgradable(text));
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details).toMatchObject({ line: 3 });
  });

  test("a package line that cannot be read is an item error; the lines around it are read", () => {
    const text =
      "Listing... Done\nbash/stable 5.2.15-2+b7 amd64 [upgradable from: 5.2.15-2+b2]\n" +
      "curl/stable 7.88.1-10+deb12u8 amd64 [upgradable from 7.88\n" +
      "tzdata/stable-updates 2024b-0+deb12u1 all [upgradable from: 2024a-0+deb12u1]\n";
    const { items, errors } = parseAptUpgradable(text);
    expect(items.map((u) => u.name)).toEqual(["bash", "tzdata"]);
    expect(errors).toEqual([
      {
        name: "curl",
        error: {
          code: "PARSE_FAILED",
          message: "apt list --upgradable: not a package line (line 3)",
          line: 3,
          excerpt: "curl/stable 7.88.1-10+deb12u8 amd64 [upgradable from 7.88",
        },
      },
    ]);
  });

  test("two outputs run together (a second header) are refused naming the line", async () => {
    const text = await testdata("thefuck-apt-list-upgradable-zesty/apt.txt");
    const err = failure(() => parseAptUpgradable(text + text));
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details).toMatchObject({ line: text.split("\n").length });
  });
});
