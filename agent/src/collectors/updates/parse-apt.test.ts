import { describe, expect, test } from "bun:test";
import { failure } from "../../lib/failure.ts";
import { parseAptUpgradable } from "./parse-apt.ts";
import { testdata } from "./testdata.ts";

describe("parseAptUpgradable", () => {
  test("Ubuntu 17.04 capture: suites de-duplicated, epochs kept, none security", async () => {
    const updates = parseAptUpgradable(await testdata("thefuck__apt_list_upgradable_zesty.txt"));
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
    const text = await testdata("debian12__apt_list_upgradable.txt");
    const updates = parseAptUpgradable(text);
    expect(updates.length).toBe(text.split("\n").filter((l) => l.includes("[upgradable from:")).length);
    expect(updates.length).toBeGreaterThan(50);
    expect(updates.find((u) => u.name === "bash")).toMatchObject({ arch: "amd64", repository: "oldstable" });
  });

  test("security suites flag the update; multi-arch packages stay apart", async () => {
    const updates = parseAptUpgradable(await testdata("handwritten__apt_list_upgradable_security.txt"));
    expect(updates.map((u) => [u.name, u.arch, u.kind])).toEqual([
      ["libssl3", "amd64", "security"],
      ["openssl", "amd64", "security"],
      ["libc6", "i386", "security"],
      ["libc6", "amd64", "security"],
      ["tzdata", "all", "regular"],
    ]);
  });

  test("no updates: the header alone is an empty list", () => {
    expect(parseAptUpgradable("Listing... Done\n")).toEqual([]);
    expect(parseAptUpgradable("")).toEqual([]);
  });

  test("apt update's notice is not `apt list` output: PARSE_FAILED on its first line", async () => {
    const text = await testdata("thefuck__apt_update_then_upgradable_notice.txt");
    const err = failure(() => parseAptUpgradable(text));
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details).toMatchObject({ line: 1, excerpt: text.split("\n")[0] });
  });

  test("a truncated last line fails naming it", async () => {
    const text = (await testdata("thefuck__apt_list_upgradable_zesty.txt")).slice(0, 120);
    const err = failure(() => parseAptUpgradable(text));
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details).toMatchObject({ line: 3 });
  });
});
