import { expect, test } from "bun:test";
import { describePartial } from "../answer/provenance.ts";
import { onlyFailures, partialOf } from "./partial-read.ts";

const faulted = {
  name: "backup",
  error: { code: "PARSE_FAILED", message: "size is '-'", line: 3, excerpt: "backup - - -" },
};
const unnamed = { name: null, error: { code: "PARSE_FAILED", message: "no fields", line: 7, excerpt: "%%" } };

test("a complete read is not partial", () => {
  expect(partialOf({ pools: { ok: true, value: [{ name: "tank" }] }, count: 3 }, [])).toBeNull();
  expect(partialOf({ pools: { ok: true, value: [], item_errors: [] } }, [])).toBeNull();
});

test("failed sources come from the errors beside the data, each once, sorted", () => {
  const errors = [
    { code: "NOT_FOUND", message: "list /sys/class/hwmon: ENOENT", source: "hwmon" },
    { code: "READ_FAILED", message: "statfs /mnt/a: EIO", source: "statfs" },
    { code: "READ_FAILED", message: "statfs /mnt/b: EIO", source: "statfs" },
    { code: "INTERNAL", message: "no source named" },
  ];
  expect(partialOf({ uptime_s: 5 }, errors)).toEqual({
    failed_sources: ["INTERNAL", "hwmon", "statfs"],
    skipped_items: 0,
    skipped: [],
  });
});

test("failed SourceResults and item errors (in a SourceResult, beside a domain's own list) are found", () => {
  const data = {
    pools: { ok: true, value: [{ name: "tank" }], item_errors: [faulted], item_errors_dropped: 5 },
    status: { ok: false, error: { code: "COMMAND_FAILED", message: "zpool status: exit 1" } },
    containers: [{ name: "web" }],
    logs: { entries: [{ message: "x" }], item_errors: [unnamed] },
  };
  const partial = partialOf(data, []);
  expect(partial).toEqual({
    failed_sources: ["status"],
    skipped_items: 7,
    skipped: [
      { source: "pools", name: "backup", code: "PARSE_FAILED" },
      { source: "logs", name: null, code: "PARSE_FAILED" },
    ],
  });
  expect(describePartial(partial ?? { failed_sources: [], skipped_items: 0, skipped: [] })).toBe(
    "PARTIAL: status failed; 7 items skipped (pools: backup, logs: ?, +5 more)",
  );
});

test("at most 20 skipped items are named; the count keeps all", () => {
  const many = Array.from({ length: 30 }, (_, i) => ({ ...faulted, name: `p${i}` }));
  const partial = partialOf({ pools: { ok: true, value: [], item_errors: many } }, [
    { code: "NOT_FOUND", message: "x", source: "hwmon" },
  ]);
  expect(partial?.skipped_items).toBe(30);
  expect(partial?.skipped.map((s) => s.name)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`));
  expect(describePartial(partial ?? { failed_sources: [], skipped_items: 0, skipped: [] })).toStartWith(
    "PARTIAL: hwmon failed; 30 items skipped (pools: p0, ",
  );
});

test("a domain whose every source failed with a host-level code is a failed read", () => {
  const down = { ok: false, error: { code: "HOST_UNREACHABLE", message: "ssh x: connection closed" } };
  const host = new Set(["HOST_UNREACHABLE"]);
  expect(onlyFailures({ interfaces: down, routes: down, dns: null }, host)).toEqual(down.error);
  expect(onlyFailures({ interfaces: down, routes: { ok: true, value: [] } }, host)).toBeUndefined();
  const missing = { ok: false, error: { code: "COMMAND_MISSING", message: "ip: not found" } };
  expect(onlyFailures({ interfaces: down, routes: missing }, host)).toBeUndefined();
  expect(onlyFailures({ uptime_s: 3 }, host)).toBeUndefined();
});
