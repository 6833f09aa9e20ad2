import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { type ProblemFleet, seedProblemFleet } from "@infrastructor/lib/testing/mcp/problem-fleet.ts";
import { alertKey, observeFleet, subjectOf } from "./observe.ts";

describe("subjectOf", () => {
  test("masks the figures a finding's words carry, never a name's digits", () => {
    expect(subjectOf("disk /mnt/disk1 93% full")).toBe("disk /mnt/disk1 #% full");
    expect(subjectOf("disk /var/lib/postgresql full in 3.0 days")).toBe(
      "disk /var/lib/postgresql full in # days",
    );
    expect(subjectOf("container web-2 exited with code 137")).toBe("container web-2 exited with code #");
    expect(subjectOf("container shop-web-1 restart loop: 8 restarts")).toBe(
      "container shop-web-1 restart loop: # restarts",
    );
    expect(subjectOf("4 security updates pending")).toBe("# security updates pending");
    expect(subjectOf("kernel I/O errors on sdb: 4")).toBe("kernel I/O errors on sdb: #");
    expect(subjectOf("pool backup scrub repaired 1.5 MiB")).toBe("pool backup scrub repaired # MiB");
    expect(subjectOf("cpu 95%")).toBe("cpu #%");
    // A host's hidden characters never reach a key (it is typed back to acknowledge it).
    expect(subjectOf("disk /mnt/\u001b[2J\u202ex 91% full")).toBe("disk /mnt/ [2J x #% full");
    expect(alertKey({ rule: "disk_full", device: "nas", what: "disk / 91% full" })).toBe(
      alertKey({ rule: "disk_full", device: "nas", what: "disk / 97% full" }),
    );
  });
});

describe("observeFleet, through the real pipeline (the fleet health check's problem fleet)", () => {
  let harness: McpHarness;
  let session: McpSession;
  let fleet: ProblemFleet;

  beforeAll(async () => {
    harness = await startMcpHarness();
    fleet = await seedProblemFleet(harness);
    session = await harness.connect({ env: { MCP_STALE_AFTER: "system=30m" } });
  }, 180_000);

  afterAll(async () => {
    await harness?.destroy();
    await fleet?.cleanup();
  }, 60_000);

  test("every critical and warning finding of analyze_infrastructure_health is an observation, none of the info ones", async () => {
    const observed = await observeFleet(session.backend.deps, { windowH: 24, fullWithinDays: 7 }, new Date());
    const result = await session.call("analyze_infrastructure_health", { limit: 500 });
    // biome-ignore lint/suspicious/noExplicitAny: the tool's structured answer
    const findings = (result.structuredContent as any).findings as {
      severity: string;
      rule: string;
      device: string;
      what: string;
    }[];
    const alerting = findings.filter((f) => f.severity !== "info");
    expect(alerting.length).toBeGreaterThan(10);
    expect(observed.map((o) => o.key).sort()).toEqual(alerting.map((f) => alertKey(f)).sort());
    expect(observed.find((o) => o.rule === "host_down")).toMatchObject({
      device: "old1",
      severity: "critical",
      status: "active",
    });
  }, 120_000);
});
