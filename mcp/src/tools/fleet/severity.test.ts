import { describe, expect, test } from "bun:test";
import {
  compareRanked,
  driveVerdictSeverity,
  memberStateSeverity,
  poolStateSeverity,
  type Ranked,
  verdictOf,
} from "./severity.ts";

describe("severity model", () => {
  test("critical: data at risk (pool and member states, failing drives); the rest warns", () => {
    expect(
      ["ONLINE", "DEGRADED", "FAULTED", "UNAVAIL", "SUSPENDED", "REMOVED", "OFFLINE"].map(poolStateSeverity),
    ).toEqual([null, "critical", "critical", "critical", "critical", "critical", "warning"]);
    expect(
      ["ONLINE", "AVAIL", "INUSE", "FAULTED", "REMOVED", "UNAVAIL", "DEGRADED", "OFFLINE", null].map(
        memberStateSeverity,
      ),
    ).toEqual([null, null, null, "critical", "critical", "critical", "warning", "warning", null]);
    expect((["failing", "warning", "ok", null] as const).map(driveVerdictSeverity)).toEqual([
      "critical",
      "warning",
      null,
      null,
    ]);
    expect((["critical", "warning", "info", null] as const).map(verdictOf)).toEqual([
      "failing",
      "warning",
      "ok",
      "ok",
    ]);
  });

  test("order: severity, impact, rule, magnitude; names only break ties, never lead", () => {
    const r = (
      severity: Ranked["severity"],
      rule: Ranked["rule"],
      magnitude: number,
      device: string,
    ): Ranked => ({
      severity,
      rule,
      magnitude,
      device,
      what: "x",
    });
    const list = [
      r("warning", "security_updates", 50, "a"),
      r("warning", "disk_full", 90, "a"),
      r("warning", "disk_full", 99, "z"),
      r("warning", "restart_loop", 3, "b"),
      r("warning", "kernel_io_errors", 1, "c"),
      r("critical", "host_down", 10, "a"),
      r("critical", "pool_state", 1, "z"),
      r("critical", "pool_member_failing", 1, "zz"),
      r("info", "other_updates", 1, "a"),
    ];
    expect(list.sort(compareRanked).map((x) => `${x.severity} ${x.rule} ${x.device}`)).toEqual([
      "critical pool_member_failing zz",
      "critical pool_state z",
      "critical host_down a",
      "warning kernel_io_errors c",
      "warning restart_loop b",
      "warning disk_full z",
      "warning disk_full a",
      "warning security_updates a",
      "info other_updates a",
    ]);
  });
});
