import { expect, test } from "bun:test";
import { summaryTable, versionLabel } from "./deploy-result.ts";

test("summaryTable: one row per host with arch, versions, result and reason, seconds; a count of successes", () => {
  const text = summaryTable([
    {
      host: "web-1",
      arch: "linux-x64",
      before: null,
      after: "0.1.0 (aaaaaaaaaaaa)",
      outcome: "installed",
      reason: "",
      seconds: 12.34,
    },
    {
      host: "pi",
      arch: "linux-arm64",
      before: "0.1.0 (aaaaaaaaaaaa)",
      after: "0.1.0 (aaaaaaaaaaaa)",
      outcome: "rolled back",
      reason: "AGENT_NOT_REPORTING: no message within 60 s",
      seconds: 71,
    },
    {
      host: "nas",
      arch: null,
      before: null,
      after: null,
      outcome: "failed",
      reason: "HOST_UNREACHABLE: x",
      seconds: 5,
    },
  ]);
  expect(text.split("\n")).toEqual([
    "host   arch         before                after                 result                                                    seconds",
    "-----  -----------  --------------------  --------------------  --------------------------------------------------------  -------",
    "web-1  linux-x64    -                     0.1.0 (aaaaaaaaaaaa)  installed                                                    12.3",
    "pi     linux-arm64  0.1.0 (aaaaaaaaaaaa)  0.1.0 (aaaaaaaaaaaa)  rolled back: AGENT_NOT_REPORTING: no message within 60 s     71.0",
    "nas    -            -                     -                     failed: HOST_UNREACHABLE: x                                   5.0",
    "1 of 3 host(s) deployed",
  ]);
});

test("versionLabel: version and the hash's first 12 hex digits; null when nothing is installed", () => {
  expect(versionLabel("0.1.0", "0123456789abcdef0123")).toBe("0.1.0 (0123456789ab)");
  expect(versionLabel(null, "0123456789abcdef")).toBe("? (0123456789ab)");
  expect(versionLabel(null, null)).toBeNull();
});
