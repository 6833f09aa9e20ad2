import { describe, expect, test } from "bun:test";
import { failure } from "@infrastructor/lib/testing/failure.ts";
import { parseApkUpgradable } from "./parse-apk.ts";
import { parseDnfCheckUpdate } from "./parse-dnf.ts";
import { parsePacmanUpdates } from "./parse-pacman.ts";
import { testdata } from "./testing/captures.ts";

describe("parseDnfCheckUpdate", () => {
  test("dnf 4: header skipped, a wrapped long name joined, obsoletes left out", async () => {
    const { items: updates, errors } = parseDnfCheckUpdate(
      await testdata("handwritten-dnf-check-update/dnf.txt"),
    );
    expect(errors).toEqual([]);
    expect(updates.map((u) => u.name)).toEqual([
      "bash",
      "curl",
      "kernel",
      "libcurl",
      "openssl-libs",
      "python3-setuptools-wheel-for-testing-long-name",
      "tzdata",
    ]);
    expect(updates[4]).toEqual({
      name: "openssl-libs",
      arch: "x86_64",
      current_version: "",
      available_version: "1:3.2.2-3.fc40",
      repository: "updates",
      kind: "unknown",
    });
    expect(updates[5]).toMatchObject({ arch: "noarch", available_version: "69.0.3-4.fc40" });
  });

  test("dnf 5's header lines are skipped", async () => {
    const updates = parseDnfCheckUpdate(await testdata("handwritten-dnf5-check-update/dnf.txt")).items;
    expect(updates.map((u) => [u.name, u.available_version])).toEqual([
      ["glibc", "2.39-22.fc40"],
      ["vim-minimal", "2:9.1.825-1.fc40"],
    ]);
  });

  test("garbage and a wrapped name cut off fail naming the line", async () => {
    expect(failure(() => parseDnfCheckUpdate("Error: Failed to download metadata\n")).details).toMatchObject({
      line: 1,
    });
    const text = (await testdata("handwritten-dnf-check-update/dnf.txt")).split("\n").slice(0, 8).join("\n");
    const err = failure(() => parseDnfCheckUpdate(text));
    expect(err.code).toBe("PARSE_FAILED");
    expect(err.details).toMatchObject({ line: 8 });
  });

  test("a wrapped name whose figures line is missing is an item error; the next package is read", () => {
    const text = "very-long-package-name-here.noarch\nbash.x86_64  5.2.26-3.fc40  updates\n";
    const { items, errors } = parseDnfCheckUpdate(text);
    expect(items.map((u) => u.name)).toEqual(["bash"]);
    expect(errors.map((e) => [e.name, e.error.line])).toEqual([["very-long-package-name-here", 1]]);
  });
});

describe("parsePacmanUpdates", () => {
  test("checkupdates", async () => {
    const updates = parsePacmanUpdates(await testdata("handwritten-checkupdates/pacman.txt")).items;
    expect(updates).toHaveLength(4);
    expect(updates[1]).toEqual({
      name: "linux",
      arch: "",
      current_version: "6.11.9.arch1-1",
      available_version: "6.12.1.arch1-1",
      repository: "",
      kind: "unknown",
    });
  });

  test("pacman -Qu: ignored packages are not pending", async () => {
    const updates = parsePacmanUpdates(await testdata("handwritten-pacman-qu/pacman.txt")).items;
    expect(updates.map((u) => u.name)).toEqual(["linux", "openssl"]);
  });

  test("a cut line fails naming it", () => {
    const err = failure(() =>
      parsePacmanUpdates("linux 6.11.9.arch1-1 -> 6.12.1.arch1-1\nopenssl 3.4.0-1 ->"),
    );
    expect(err.details).toMatchObject({ line: 2, excerpt: "openssl 3.4.0-1 ->" });
  });

  test("a garbled line is an item error beside the others", () => {
    const { items, errors } = parsePacmanUpdates(
      "linux 6.11.9.arch1-1 6.12.1.arch1-1\nopenssl 3.4.0-1 -> 3.4.0-2\n",
    );
    expect(items.map((u) => u.name)).toEqual(["openssl"]);
    expect(errors.map((e) => [e.name, e.error.line])).toEqual([["linux", 1]]);
  });
});

describe("parseApkUpgradable", () => {
  test("apk list -u: name and version split at `-<ver>-r<N>`", async () => {
    const updates = parseApkUpgradable(await testdata("handwritten-apk-list-u/apk.txt")).items;
    expect(updates.map((u) => [u.name, u.current_version, u.available_version])).toEqual([
      ["busybox", "1.36.1-r29", "1.36.1-r30"],
      ["libcrypto3", "3.3.1-r3", "3.3.2-r1"],
      ["ssl_client", "1.36.1-r29", "1.36.1-r30"],
      ["tzdata", "2024a-r0", "2024b-r0"],
    ]);
    expect(updates[0]?.arch).toBe("x86_64");
  });

  test("a line that is not apk's fails naming it", () => {
    const err = failure(() => parseApkUpgradable("busybox-1.36.1-r30 x86_64 {busybox}"));
    expect(err.details).toMatchObject({ line: 1 });
    expect(failure(() => parseApkUpgradable("ERROR: unable to lock database\n")).details).toMatchObject({
      line: 1,
    });
  });

  test("a garbled line is an item error beside the others", () => {
    const text =
      "busybox-1.36.1-r30 x86_64 {busybox} (GPL-2.0-only)\n" +
      "tzdata-2024b-r0 noarch {tzdata} (Public-Domain) [upgradable from: tzdata-2024a-r0]\n";
    const { items, errors } = parseApkUpgradable(text);
    expect(items.map((u) => u.name)).toEqual(["tzdata"]);
    expect(errors.map((e) => [e.name, e.error.line])).toEqual([["busybox", 1]]);
  });
});
