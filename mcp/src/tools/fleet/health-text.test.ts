import { describe, expect, test } from "bun:test";
import type { Finding } from "./finding.ts";
import { FINDING_TEXT_BUDGET, findingLines } from "./health-text.ts";

const finding = (i: number, evidence: string): Finding => ({
  severity: "warning",
  impact: "capacity",
  rule: "disk_full",
  magnitude: 90,
  device: `node${i}`,
  domain: "system",
  what: `disk /srv/data${i} 9${i % 10}% full`,
  evidence,
  source: "stored",
  observed_at: null,
  age_s: 42,
  stale: false,
});

describe("findingLines", () => {
  test("a page of 50 findings stays within the budget and keeps every finding's head and numbers", () => {
    const long = `${"12.3 GiB free of 100.0 GiB (/dev/sdb1); ".repeat(20)}threshold 85%`;
    const lines = findingLines(Array.from({ length: 50 }, (_, i) => finding(i, long)));
    expect(lines.join("\n").length).toBeLessThanOrEqual(FINDING_TEXT_BUDGET);
    lines.forEach((l, i) => {
      expect(l).toStartWith(
        `- [warning/capacity] node${i} system: disk /srv/data${i} 9${i % 10}% full (12.3 GiB free`,
      );
      expect(l).toEndWith("...); stored 42 s old");
    });
  });

  test("a few findings keep their evidence whole up to 400 characters", () => {
    const [line] = findingLines([finding(1, "sdb-old r12/w3/c0, sdc r0/w0/c2")]);
    expect(line).toBe(
      "- [warning/capacity] node1 system: disk /srv/data1 91% full (sdb-old r12/w3/c0, sdc r0/w0/c2); stored 42 s old",
    );
    const [cut] = findingLines([finding(1, "x".repeat(500))]);
    expect(cut).toContain(`(${"x".repeat(397)}...)`);
  });
});
