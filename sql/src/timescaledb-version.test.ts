import { expect, test } from "bun:test";
import { timescaledbRefusal } from "./timescaledb-ready.ts";
import { losesRowsOnConflict, newestFixed, parseVersion } from "./timescaledb-version.ts";

test("versions before 2.18.1 lose rows (#7672); 2.18.1 and later do not", () => {
  const cases: [string, boolean][] = [
    ["1.7.5", true],
    ["2.17.2", true],
    ["2.18", true],
    ["2.18.0", true],
    ["2.18.1-rc1", true],
    ["2.18.1-dev", true],
    ["2.18.1", false],
    ["2.18.2", false],
    ["2.19.3", false],
    ["2.20.0-dev", false],
    ["3.0.0", false],
    // Not a version: never run on something nobody checked.
    ["", true],
    ["latest", true],
    ["2.x", true],
  ];
  expect(cases.map(([v]) => [v, losesRowsOnConflict(v)])).toEqual(cases);
});

test("parseVersion reads the numbers and marks pre-releases", () => {
  expect(parseVersion("2.19.3")).toEqual({ parts: [2, 19, 3], prerelease: false });
  expect(parseVersion(" 2.18.1-rc1 ")).toEqual({ parts: [2, 18, 1], prerelease: true });
  expect(parseVersion("2.18")).toEqual({ parts: [2, 18, 0], prerelease: false });
  expect(parseVersion("2.18.1.4")).toBeNull();
});

test("newestFixed compares versions as numbers, not as text", () => {
  expect(newestFixed(["2.9.0", "2.19.3", "2.18.1", "2.17.2"])).toBe("2.19.3");
  expect(newestFixed(["2.17.2", "2.18.1-rc1"])).toBeNull();
  expect(newestFixed(["2.18.1-rc1", "2.18.1"])).toBe("2.18.1");
});

const preloaded = { loader: "off", created: null, defaultVersion: "2.19.3", available: ["2.19.3"] };

test("a preloaded TimescaleDB at a fixed version is accepted", () => {
  expect(timescaledbRefusal(preloaded)).toBeNull();
  expect(timescaledbRefusal({ ...preloaded, created: "2.18.1" })).toBeNull();
});

test("not preloaded: refused with the setting to add, whatever the version", () => {
  const refusal = timescaledbRefusal({ ...preloaded, loader: null });
  expect(refusal?.code).toBe("CONFIG_INVALID");
  expect(refusal?.message).toContain('FATAL: extension "timescaledb" must be preloaded');
  expect(refusal?.message).toContain("shared_preload_libraries = 'timescaledb'");
  expect(refusal?.message).toContain("restart PostgreSQL");
});

test("an affected version is refused naming the bug; the fix depends on what the server offers", () => {
  const toCreate = timescaledbRefusal({ ...preloaded, defaultVersion: "2.17.2", available: ["2.17.2"] });
  expect(toCreate?.message).toStartWith("this server would create timescaledb version 2.17.2");
  expect(toCreate?.message).toContain("timescale/timescaledb#7672, fixed in 2.18.1");
  expect(toCreate?.message).toContain("upgrade TimescaleDB to 2.18.1 or later");
  expect(toCreate?.message).toContain("timescale/timescaledb:2.19.3-pg16");
  expect(toCreate?.details).toEqual({ timescaledb_version: "2.17.2", issue: "timescale/timescaledb#7672" });

  // The package was upgraded, the database's extension was not.
  const created = timescaledbRefusal({
    ...preloaded,
    created: "2.17.2",
    defaultVersion: "2.19.3",
    available: ["2.17.2", "2.19.3", "2.9.1"],
  });
  expect(created?.message).toStartWith("this database's timescaledb extension is version 2.17.2");
  expect(created?.message).toContain(
    "version 2.19.3 is installed on the server: run ALTER EXTENSION timescaledb UPDATE",
  );
});
