import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { LOG_PREFILTER, LOG_WORDS } from "@infrastructor/domains/logs/server/health.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { type ProblemFleet, seedProblemFleet } from "@infrastructor/lib/testing/mcp/problem-fleet.ts";

let harness: McpHarness;
let session: McpSession;
let fleet: ProblemFleet;

beforeAll(async () => {
  harness = await startMcpHarness();
  fleet = await seedProblemFleet(harness);
  // A loaded machine may take minutes over the seeding and the tests: a host counts as silent after
  // 30 min here (old1 has been for 2 h), not the default 45 s.
  session = await harness.connect({ env: { MCP_STALE_AFTER: "system=30m" } });
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await fleet?.cleanup();
}, 60_000);

// biome-ignore lint/suspicious/noExplicitAny: tests read structuredContent freely
type Any = Record<string, any>;

const call = async (s: McpSession, args: Record<string, unknown> = {}): Promise<{ s: Any; text: string }> => {
  const result = await s.call("analyze_infrastructure_health", { limit: 500, ...args });
  expect(result.isError).toBeFalsy();
  const first = result.content[0];
  return { s: result.structuredContent as Any, text: first?.type === "text" ? first.text : "" };
};

/** Every problem that went in, worst first: severity, then data > service > capacity > hygiene. */
const EXPECTED = [
  [
    "critical",
    "data",
    "store1",
    "zfs",
    "pool mypool DEGRADED with failing member /dev/sdb (Hitachi HDS721050DLE630 MSK423Y20S3HBC)",
  ],
  ["critical", "service", "old1", "agent", "not reporting"],
  ["warning", "data", "store1", "logs", "kernel I/O errors on sdb: 4"],
  ["warning", "data", "store1", "zfs", "pool mypool vdev errors"],
  ["warning", "data", "store1", "zfs", "pool backup scrub repaired 1.5 MiB"],
  ["warning", "data", "db1", "backups", "backup restic-db (restic) never succeeded"],
  ["warning", "service", "web1", "docker", "container shop-web-1 restart loop: 8 restarts"],
  ["warning", "service", "web1", "logs", "OOM killer killed 3 processes: java x2, node"],
  ["warning", "service", "web1", "docker", "container shop-db-1 exited with code 137"],
  ["warning", "service", "web1", "docker", "container shop-web-1 depends on cache, which is down"],
  ["warning", "service", "web1", "docker", "container shop-web-1 depends on db, which is down"],
  ["warning", "capacity", "db1", "system", "disk /var/lib/postgresql full in 3.0 days"],
  ["warning", "hygiene", "db1", "updates", "4 security updates pending"],
  ["info", "hygiene", "db1", "updates", "1 other updates pending"],
];

describe("analyze_infrastructure_health on a fleet with many problems at once", () => {
  test("the exact order: worst first by severity and impact, the failing member of the degraded pool leading", async () => {
    const { s } = await call(session);
    expect(s.findings.map((f: Any) => [f.severity, f.impact, f.device, f.domain, f.what])).toEqual(EXPECTED);
    expect(s.summary).toMatchObject({
      devices: 4,
      reporting: 3,
      not_reporting: ["old1"],
      critical: 2,
      warning: 11,
      info: 1,
      window_h: 24,
      full_within_days: 7,
    });
  });

  test("the correlated finding holds both facts: the pool's member and the drive's SMART failure", async () => {
    const { s } = await call(session);
    const first = s.findings[0];
    expect(first.rule).toBe("pool_member_failing");
    expect(first.evidence).toStartWith(
      "mirror-0 DEGRADED, 12345678901234567890 UNAVAIL (was /dev/disk/by-id/ata-Hitachi_HDS721050DLE630_MSK423Y20S3HBC-part1) | " +
        "drive /dev/sdb (Hitachi HDS721050DLE630 MSK423Y20S3HBC) failing: SMART health self-assessment FAILED; prefail attribute Reallocated_Sector_Ct at or below threshold (1 <= 5); 1975 reallocated sectors",
    );
    expect(first.evidence).toEndWith(
      "| One or more devices could not be used because the label is missing or invalid.  Sufficient replicas exist for the pool to continue functioning in a degraded state.",
    );
    expect(first.related).toEqual([
      expect.objectContaining({
        domain: "smart",
        what: "drive /dev/sdb (Hitachi HDS721050DLE630 MSK423Y20S3HBC) failing",
      }),
    ]);
    // The drive has no finding of its own any more.
    expect(s.findings.filter((f: Any) => f.domain === "smart")).toEqual([]);
  });

  test("the text carries each finding's severity, host, what and numbers, summary first, within budget", async () => {
    const { s, text } = await call(session);
    const lines = text.split("\n");
    expect(lines[0]).toBe("4 devices (3 reporting; NOT reporting: old1): 2 critical, 11 warning, 1 info.");
    for (const [severity, impact, device, domain, what] of EXPECTED) {
      expect(text).toContain(`- [${severity}/${impact}] ${device} ${domain}: ${what} (`);
    }
    for (const fact of [
      "SMART health self-assessment FAILED",
      "12345678901234567890 UNAVAIL",
      "2 I/O error, 1 buffer I/O error, 1 EXT4-fs error",
      "12345678901234567890 r0/w0/c100980",
      "after repairing 1572864 bytes",
      "no successful run on record",
      "restart count 1 -> 9 (+8) over 2.0 h",
      "3 OOM kills in the last 24 h",
      "compose project shop is otherwise up (1 of 2 containers running: shop-web-1)",
      "no cache container exists",
      "shop-db-1 exited (code 137)",
      "growing 12.0 GiB/day",
      "36.0 GiB free of 100.0 GiB",
      "last seen 2 h ago",
      "libssl3, openssl, libc6",
    ]) {
      expect([fact, text.includes(fact)]).toEqual([fact, true]);
    }
    // ~4 characters a token: a fleet-wide answer stays under ~2,500 tokens.
    expect(text.length).toBeLessThan(10_000);
    expect(s.findings).toHaveLength(EXPECTED.length);
  });
});

describe("each history rule, from the stored history alone", () => {
  test("the SQL filters on logs (text index words, then the expression) let every kernel line through", async () => {
    const text = await Bun.file(
      join(
        import.meta.dir,
        "../../../shared/domains/logs/server/testdata/built__kernel_oom_and_io_errors.txt",
      ),
    ).text();
    const messages = text
      .trimEnd()
      .split("\n")
      .map((l) => l.slice(21));
    const rows = await harness.servers.sql<{ message: string }[]>`
      SELECT m AS message FROM unnest(${messages}::text[]) AS m
      WHERE to_tsvector('simple', m) @@ to_tsquery('simple', ${LOG_WORDS}) AND m ~ ${LOG_PREFILTER}`;
    // All but the two ordinary lines at the end.
    expect(rows.map((r) => r.message)).toEqual(messages.slice(0, -2));
  });

  const by = (s: Any, what: string): Any | undefined => s.findings.find((f: Any) => f.what.startsWith(what));

  test("a filesystem full within N days: the least-squares rate and the date, gone past the horizon", async () => {
    const { s } = await call(session);
    const fs = by(s, "disk /var/lib/postgresql full in") ?? {};
    expect(fs.evidence).toMatch(
      /^growing 12\.0 GiB\/day \(least squares over 6 samples of the last 24 h\); 36\.0 GiB free of 100\.0 GiB \(\/dev\/sdb1\); full around \d{4}-\d\d-\d\dT\d\d:\d\dZ$/,
    );
    const fullAt = new Date(`${fs.evidence.slice(-17, -1)}:00Z`).getTime();
    expect(Math.abs(fullAt - (Date.now() + 3 * 86_400_000))).toBeLessThan(2 * 3_600_000);
    expect(
      by((await call(session, { full_within_days: 2 })).s, "disk /var/lib/postgresql full in"),
    ).toBeUndefined();
  });

  test("OOM kills and I/O errors count only within the window", async () => {
    const narrow = (await call(session, { window_h: 2 })).s;
    // The OOM lines were logged 3 h ago, the I/O errors 1 h ago.
    expect(by(narrow, "OOM killer")).toBeUndefined();
    expect(by(narrow, "kernel I/O errors on sdb")?.magnitude).toBe(4);
    expect(
      by((await call(session, { window_h: 0.5 * 1 + 0.5 })).s, "kernel I/O errors on sdb"),
    ).toBeDefined();
  });

  test("a restart loop is the rise between samples of the window: one sample (the last hour) has none", async () => {
    const { s } = await call(session, { window_h: 1.5 });
    // Samples 1 h ago (4 restarts) and now (9): +5 still a loop; the 2 h old sample is out of the window.
    expect(by(s, "container shop-web-1 restart loop")?.evidence).toStartWith("restart count 4 -> 9 (+5)");
    expect(by((await call(session, { window_h: 1 })).s, "container shop-web-1 restart loop")).toBeUndefined();
  });
});
