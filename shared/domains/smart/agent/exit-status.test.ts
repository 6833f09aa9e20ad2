import { expect, test } from "bun:test";
import { decodeExitStatus } from "./exit-status.ts";

test("each bit has its name; 216 is the failing Hitachi of the fixtures", () => {
  expect(decodeExitStatus(0)).toEqual([]);
  expect(decodeExitStatus(1)).toEqual(["command_line_error"]);
  expect(decodeExitStatus(2)).toEqual(["device_open_failed"]);
  expect(decodeExitStatus(4)).toEqual(["smart_command_failed"]);
  expect(decodeExitStatus(64)).toEqual(["error_log_has_errors"]);
  expect(decodeExitStatus(216)).toEqual([
    "disk_failing",
    "prefail_at_threshold",
    "error_log_has_errors",
    "self_test_log_has_errors",
  ]);
  expect(decodeExitStatus(255)).toHaveLength(8);
  expect(decodeExitStatus(32)).toEqual(["attributes_past_threshold"]);
});
