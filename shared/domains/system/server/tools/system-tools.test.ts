import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEnvelopeFactory } from "@infrastructor/agent/envelope-factory.ts";
import { refreshRollupsNow } from "@infrastructor/collector/maintenance/refresh-rollups-now.ts";
import { createLogsCollector } from "@infrastructor/domains/logs/agent/index.ts";
import { memoryPositionStore } from "@infrastructor/domains/logs/agent/position-store.ts";
import { fakeJournal, syslogLines } from "@infrastructor/domains/logs/server/testing/fake-journal.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { CollectorLiveSource } from "@infrastructor/mcp/live/collector-live-source.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { createSystemCollector } from "../../agent/index.ts";
import type { SystemData } from "../../schema.ts";
import { asleep, failing, history, nvme, smartPoll, ssd, wdc, withCpu } from "../testing/samples.ts";

let harness: McpHarness;
let session: McpSession;
let liveSession: McpSession;
let current: SystemData;
let root: string;
const journal = fakeJournal();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

beforeAll(async () => {
  harness = await startMcpHarness();
  const now = Date.now();

  // system: this machine through the real collector, then history before it.
  const system = createSystemCollector({ executor: new LocalExecutor() });
  await system.prime?.();
  await Bun.sleep(1_000);
  const sample = await system.collect();
  current = sample.data as SystemData;
  const factory = createEnvelopeFactory({ host: "alpha" });
  const envelopes: Envelope[] = history(now).map(({ at, cpu }) =>
    factory.build("system", { data: withCpu(current, cpu), errors: [] }, new Date(at)),
  );
  envelopes.push(factory.build("system", sample, new Date(now)));
  await harness.publish(envelopes);
  // The collector (plain PostgreSQL) or the policies (TimescaleDB) refresh the rollups later; here at once.
  await refreshRollupsNow(harness.servers.sql, {
    from: new Date(now - 30 * DAY),
    to: new Date(now + 5 * MIN),
  });

  // smart: a week ago and now; sda's reallocated sectors grow, sdc falls asleep.
  await harness.ingest(
    "alpha",
    "smart",
    await smartPoll({ "/dev/sda": wdc(0), "/dev/sdb": failing, "/dev/nvme0": nvme, "/dev/sdc": ssd }),
    new Date(now - 6 * DAY),
  );
  await harness.ingest(
    "alpha",
    "smart",
    await smartPoll({ "/dev/sda": wdc(24), "/dev/sdb": failing, "/dev/nvme0": nvme, "/dev/sdc": asleep }),
  );

  // logs: the logs collector over a syslog file (a journal directory without journal files, as here).
  root = await mkdtemp(join(tmpdir(), "mcp-logs-"));
  for (const host of ["syslog-host", "journal-host"])
    await mkdir(join(root, host, "var/log/journal"), { recursive: true });
  await writeFile(join(root, "journal-host/var/log/journal/system.journal"), "");
  await writeFile(join(root, "syslog-host/var/log/syslog"), syslogLines(now));
  const logs = await createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: join(root, "syslog-host"),
    priority: "debug",
  }).collect();
  expect(logs.errors).toEqual([]);
  await harness.ingest("alpha", "logs", logs);
  await harness.ingest("beta", "logs", logs);
  await harness.ingest("gamma", "smart", await smartPoll({ "/dev/nvme0": nvme }));

  // Live reads: alpha's host root holds journal files (journalctl is faked), beta's only the syslog file.
  await harness.servers
    .sql`UPDATE devices SET live_config = ${harness.servers.sql.json({ roots: { host: join(root, "journal-host") } })} WHERE hostname = 'alpha'`;
  await harness.servers
    .sql`UPDATE devices SET live_config = ${harness.servers.sql.json({ roots: { host: join(root, "syslog-host") } })} WHERE hostname = 'beta'`;
  const env = { MCP_STALE_AFTER: "system=1h,smart=1d,logs=1h", MCP_DISK_WARN_PCT: "1" };
  session = await harness.connect({ env });
  liveSession = await harness.connect({
    env,
    live: () =>
      new CollectorLiveSource((device) =>
        device.hostname === "alpha" ? journal.executor : new LocalExecutor(),
      ),
  });
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

type S = Record<string, never>;
async function call<T = S>(name: string, args: Record<string, unknown>, on = session): Promise<T> {
  const result = await on.call(name, args);
  if (result.isError) throw new Error(JSON.stringify(result.structuredContent));
  return result.structuredContent as T;
}
async function errorOf(name: string, args: Record<string, unknown>, on = session) {
  const result = await on.call(name, args);
  expect(result.isError).toBe(true);
  return (result.structuredContent as { error: { code: string; message: string } }).error;
}

describe("get_system_metrics", () => {
  test("the latest sample is this machine's, as collected", async () => {
    const s = await call<{
      summary: {
        cpu_pct: number;
        uptime_s: number;
        warnings: string[];
        fullest_mount: { mountpoint: string };
      };
      provenance: { source: string; stale: boolean };
      latest: {
        memory: { total_bytes: number; used_pct: number };
        disks: { mountpoint: string; used_pct: number }[];
        network: { interface: string }[];
      };
      history: unknown;
    }>("get_system_metrics", { device: "alpha" });
    expect(s.provenance).toMatchObject({ source: "stored", stale: false });
    expect(s.history).toBeNull();
    expect(s.summary.uptime_s).toBe(current.uptime_s);
    expect(Math.abs(s.summary.cpu_pct - (current.cpu?.usage_pct ?? -1))).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(s.latest.memory.total_bytes).toBe(current.memory.total_bytes);
    expect(s.latest.memory.used_pct).toBeCloseTo(
      (current.memory.used_bytes / current.memory.total_bytes) * 100,
      1,
    );
    expect(s.latest.disks).toHaveLength(Math.min(30, current.mounts.length));
    const fullest = [...current.mounts].sort(
      (a, b) =>
        b.used_bytes / (b.used_bytes + b.free_bytes || 1) - a.used_bytes / (a.used_bytes + a.free_bytes || 1),
    )[0];
    if (fullest !== undefined) {
      expect(s.summary.fullest_mount.mountpoint).toBe(fullest.mountpoint);
      const pct = Math.round((fullest.used_bytes / (fullest.used_bytes + fullest.free_bytes)) * 1000) / 10;
      // MCP_DISK_WARN_PCT=1: every mount at 1% or more is a warning.
      if (pct >= 1) {
        expect(s.summary.warnings.some((w) => w.startsWith(`${fullest.mountpoint} is ${pct}% full`))).toBe(
          true,
        );
      }
    }
    expect(s.latest.network).toHaveLength(Math.min(30, current.interfaces.length));
  });

  test("6h: raw samples, highs and averages over them", async () => {
    const cur = current.cpu?.usage_pct ?? 0;
    const s = await call<{
      history: {
        resolution: string;
        downsampled: boolean;
        points: unknown[];
        points_available: number;
        summary: {
          samples: number;
          cpu_pct_max: number;
          cpu_pct_avg: number;
          cpu_pct_max_at: string;
          load_1_max: number;
        };
      };
    }>("get_system_metrics", { device: "alpha", range: "6h" });
    const h = s.history;
    expect([h.resolution, h.downsampled, h.points_available, h.points.length]).toEqual([
      "raw",
      false,
      72,
      72,
    ]);
    expect(h.summary.samples).toBe(72);
    // The answer rounds to one decimal: within half a step of the exact value (this machine's current
    // cpu % is one of the samples, so the exact value can fall on x.x5).
    const withinRounding = (got: number, exact: number): void =>
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.05 + 1e-9);
    withinRounding(h.summary.cpu_pct_max, Math.max(95, cur));
    withinRounding(h.summary.cpu_pct_avg, (70 * 10 + 95 + cur) / 72);
    if (cur < 95) expect(Date.parse(h.summary.cpu_pct_max_at)).toBeCloseTo(Date.now() - 2 * HOUR, -5);
  });

  test("24h: hourly rollups; max_points merges them and keeps the high", async () => {
    const cur = current.cpu?.usage_pct ?? 0;
    const s = await call<{
      history: {
        resolution: string;
        downsampled: boolean;
        points: { samples: number }[];
        summary: { samples: number; cpu_pct_max: number };
      };
    }>("get_system_metrics", { device: "alpha", range: "24h" });
    expect(s.history.resolution).toBe("hourly");
    expect(s.history.downsampled).toBe(false);
    expect(s.history.summary.samples).toBe(72 + 18);
    expect(Math.abs(s.history.summary.cpu_pct_max - Math.max(95, cur))).toBeLessThanOrEqual(0.05 + 1e-9);
    const merged = await call<{
      history: {
        downsampled: boolean;
        bucket_s: number;
        points: { samples: number }[];
        summary: { samples: number; cpu_pct_max: number };
      };
    }>("get_system_metrics", { device: "alpha", range: "24h", max_points: 10 });
    expect(merged.history.downsampled).toBe(true);
    expect(merged.history.points.length).toBeLessThanOrEqual(10);
    expect(merged.history.bucket_s % 3600).toBe(0);
    expect(merged.history.summary.samples).toBe(90);
    expect(Math.abs(merged.history.summary.cpu_pct_max - Math.max(95, cur))).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  test("7d hourly shows the 80% hour three days ago; 30d daily the 70% day; raw 7d is downsampled", async () => {
    const week = await call<{
      history: { resolution: string; points: { time: string; cpu_pct_max: number }[] };
    }>("get_system_metrics", { device: "alpha", range: "7d" });
    expect(week.history.resolution).toBe("hourly");
    const peak = week.history.points.find((p) => p.cpu_pct_max === 80);
    expect(Date.parse(peak?.time ?? "")).toBeCloseTo(Date.now() - 72 * HOUR, -7);
    const month = await call<{
      history: { resolution: string; summary: { samples: number }; points: { cpu_pct_max: number }[] };
    }>("get_system_metrics", { device: "alpha", range: "30d" });
    expect(month.history.resolution).toBe("daily");
    expect(month.history.summary.samples).toBe(690 + 72);
    expect(month.history.points.some((p) => p.cpu_pct_max === 70)).toBe(true);
    const raw = await call<{
      history: {
        resolution: string;
        downsampled: boolean;
        points_available: number;
        points: unknown[];
        summary: { samples: number };
      };
    }>("get_system_metrics", { device: "alpha", range: "7d", resolution: "raw", max_points: 50 });
    // Raw samples from now - 7 d on: the hourly ones 7..167 h old (the 168 h one is just outside).
    expect(raw.history).toMatchObject({ resolution: "raw", downsampled: true, points_available: 72 + 161 });
    expect(raw.history.points.length).toBeLessThanOrEqual(50);
    expect(raw.history.summary.samples).toBe(72 + 161);
  });

  test("errors: unknown device, a device with no system data, a bad range", async () => {
    expect((await errorOf("get_system_metrics", { device: "nope" })).code).toBe("NOT_FOUND");
    const none = await errorOf("get_system_metrics", { device: "gamma" });
    expect(none.code).toBe("NOT_FOUND");
    expect(none.message).toContain("no system data has been collected from gamma");
    expect((await errorOf("get_system_metrics", { device: "alpha", range: "1y" })).code).toBe(
      "INVALID_ARGUMENT",
    );
  });
});

interface DriveOut {
  severity: string | null;
  device: string;
  status: string;
  verdict: string | null;
  reasons: string[];
  trend: string[];
  model: string | null;
  serial: string | null;
  capacity_bytes: number | null;
  temperature_c: number | null;
  power_on_hours: number | null;
  last_read_at: string | null;
  counters: Record<string, number | null> | null;
}

describe("get_drive_health", () => {
  test("failing, then warning (with the week's trend), ok, and the sleeping drive with its last reading", async () => {
    const s = await call<{
      summary: { failing: string[]; warning: string[]; ok: number; standby: string[] };
      provenance: { source: string };
      drives: DriveOut[];
    }>("get_drive_health", { device: "alpha" });
    expect(s.summary).toMatchObject({
      failing: ["/dev/sdb"],
      warning: ["/dev/sda"],
      ok: 1,
      standby: ["/dev/sdc"],
    });
    expect(s.provenance.source).toBe("stored");
    expect(s.drives.map((d) => d.device)).toEqual(["/dev/sdb", "/dev/sda", "/dev/nvme0", "/dev/sdc"]);
    const [sdb, sda, nvme0, sdc] = s.drives;
    expect(sdb).toMatchObject({
      verdict: "failing",
      severity: "critical",
      model: "Hitachi HDS721050DLE630",
      serial: "MSK423Y20S3HBC",
      capacity_bytes: 500107862016,
      temperature_c: 25,
      power_on_hours: 65592,
    });
    expect(sdb?.reasons[0]).toBe("SMART health self-assessment FAILED");
    expect(sdb?.counters).toMatchObject({ reallocated_sectors: 1975, pending_sectors: 8 });
    expect(sda?.trend).toEqual(["reallocated sectors 0 -> 24 in 6 days"]);
    // The shared severity model: the same words as analyze_infrastructure_health's drive findings.
    expect([sda?.severity, nvme0?.severity]).toEqual(["warning", null]);
    expect(sda?.reasons).toEqual(["24 reallocated sectors", "reallocated sectors 0 -> 24 in 6 days"]);
    // The collector judged the same from the same samples (smart_drives).
    const [stored] = await harness.servers.sql`
      SELECT s.verdict, s.reasons FROM smart_drives s JOIN devices d ON d.id = s.device_id
      WHERE d.hostname = 'alpha' AND s.device = '/dev/sda'`;
    expect([stored?.verdict, stored?.reasons]).toEqual([sda?.verdict, sda?.reasons]);
    expect(nvme0?.counters).toMatchObject({
      nvme_available_spare_pct: 100,
      nvme_spare_threshold_pct: 5,
      nvme_percentage_used: 4,
      nvme_media_errors: 0,
    });
    expect(sdc).toMatchObject({
      status: "standby",
      verdict: null,
      severity: null,
      model: "P3-2TB",
      serial: "9C40918040082",
    });
    expect(Date.parse(sdc?.last_read_at ?? "")).toBeCloseTo(Date.now() - 6 * DAY, -6);
  });

  test("a drive by name, serial or model; an unknown one is NOT_FOUND listing the drives", async () => {
    const pick = async (drive: string): Promise<string[]> =>
      (await call<{ drives: DriveOut[] }>("get_drive_health", { device: "alpha", drive })).drives.map(
        (d) => d.device,
      );
    expect(await pick("sdb")).toEqual(["/dev/sdb"]);
    expect(await pick("/dev/nvme0")).toEqual(["/dev/nvme0"]);
    expect(await pick("MSK423Y20S3HBC")).toEqual(["/dev/sdb"]);
    expect(await pick("WDC")).toEqual(["/dev/sda"]);
    const missing = await errorOf("get_drive_health", { device: "alpha", drive: "sdz" });
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toContain("/dev/sdb Hitachi HDS721050DLE630 MSK423Y20S3HBC");
    expect((await errorOf("get_drive_health", { device: "alpha", drive: "sda;reboot" })).code).toBe(
      "INVALID_ARGUMENT",
    );
  });
});

interface LogsOut {
  summary: { mode: string; source: string; entries: number; by_priority: Record<string, number> };
  provenance: { source: string };
  entries: {
    time: string;
    priority: string | null;
    identifier: string;
    unit: string;
    message: string;
    message_truncated?: boolean;
  }[];
  page: { total: number; next_offset: number | null } | null;
  truncated: boolean;
}

describe("get_system_logs", () => {
  test("stored: the last 24 h newest first, the long message cut, counts per severity", async () => {
    const s = await call<LogsOut>("get_system_logs", { device: "alpha" });
    expect(s.summary).toMatchObject({
      mode: "stored",
      source: "logs table",
      entries: 5,
      by_priority: { crit: 1, err: 1, warning: 2, info: 1 },
    });
    expect(s.entries.map((e) => e.identifier)).toEqual(["nginx", "kernel", "CRON", "nginx", "sshd"]);
    expect(s.entries[0]?.message_truncated).toBe(true);
    expect(s.entries[0]?.message).toHaveLength(1000);
    expect(s.entries[1]).toMatchObject({
      priority: "crit",
      message: "EXT4-fs error (device sdb1): ext4_find_entry:1455",
    });
    expect(s.provenance.source).toBe("stored");
  });

  test("stored: priority, since, full-text search and pages", async () => {
    const errs = await call<LogsOut>("get_system_logs", { device: "alpha", priority: "err" });
    expect(errs.entries.map((e) => e.identifier)).toEqual(["kernel", "sshd"]);
    const week = await call<LogsOut>("get_system_logs", { device: "alpha", since: "7d" });
    expect(week.summary.entries).toBe(6);
    const found = await call<LogsOut>("get_system_logs", { device: "alpha", search: "upstream timed out" });
    expect(found.entries.map((e) => e.message)).toEqual(["upstream timed out while reading response header"]);
    const page = await call<LogsOut>("get_system_logs", { device: "alpha", limit: 2, offset: 2 });
    expect(page.entries.map((e) => e.identifier)).toEqual(["CRON", "nginx"]);
    expect(page.page).toMatchObject({ total: 5, next_offset: 4 });
  });

  test("a service without SSH is HOST_UNREACHABLE; injection in a service name never runs", async () => {
    expect((await errorOf("get_system_logs", { device: "alpha", service: "nginx.service" })).code).toBe(
      "HOST_UNREACHABLE",
    );
    const before = journal.executor.callsOf("journalctl").length;
    for (const service of ["nginx; rm -rf /", "$(id)", "--help", "a`id`", "../../etc/passwd", "x\ny"]) {
      const e = await errorOf("get_system_logs", { device: "alpha", service }, liveSession);
      expect(e.code).toBe("INVALID_ARGUMENT");
    }
    expect(journal.executor.callsOf("journalctl").length).toBe(before);
  });

  test("a service live from the journal: journalctl -u with since and tail, parsed by the collector's parser", async () => {
    const s = await call<LogsOut>(
      "get_system_logs",
      { device: "alpha", service: "nginx.service", since: "2025-11-24T00:00:00Z" },
      liveSession,
    );
    expect(journal.executor.callsOf("journalctl").at(-1)).toEqual([
      "journalctl",
      "-u",
      "nginx.service",
      "-o",
      "json",
      "--since",
      `@${Date.parse("2025-11-24T00:00:00Z") / 1000}`,
      "-n",
      "100",
      "--no-pager",
      "--quiet",
      "-r",
      `--directory=${join(root, "journal-host/var/log/journal")}`,
    ]);
    expect(s.summary).toMatchObject({ mode: "live", source: "journal", entries: 1 });
    expect(s.provenance.source).toBe("live");
    expect(s.entries[0]).toMatchObject({ unit: "nginx.service", identifier: "systemd", priority: "err" });
    expect(s.entries[0]?.message).toStartWith("Failed to start nginx.service");
  });

  test("tail and the byte cap: newest first, truncated when the messages exceed it", async () => {
    const two = await call<LogsOut>(
      "get_system_logs",
      { device: "alpha", service: "big.service", tail: 2 },
      liveSession,
    );
    expect(two.entries.map((e) => e.message.split(" ").slice(0, 2).join(" "))).toEqual([
      "entry 99",
      "entry 98",
    ]);
    expect(two.truncated).toBe(false);
    const all = await call<LogsOut>(
      "get_system_logs",
      { device: "alpha", service: "big.service", tail: 5000 },
      liveSession,
    );
    expect(all.truncated).toBe(true);
    expect(all.entries.length).toBeGreaterThan(10);
    expect(all.entries.length).toBeLessThan(100);
    expect(all.entries[0]?.message).toStartWith("entry 99 ");
  });

  test("a service live from the syslog file where there is no journal, by identifier", async () => {
    const s = await call<LogsOut>(
      "get_system_logs",
      { device: "beta", service: "nginx.service" },
      liveSession,
    );
    expect(s.summary).toMatchObject({ mode: "live", source: "syslog /var/log/syslog", entries: 2 });
    expect(s.entries.map((e) => e.message.slice(0, 8))).toEqual(["x".repeat(8), "upstream"]);
    const errors = await call<LogsOut>(
      "get_system_logs",
      { device: "beta", service: "sshd", since: "7d" },
      liveSession,
    );
    expect(errors.entries.map((e) => e.message)).toEqual([
      "error: kex_exchange_identification: Connection closed by remote host",
      "old failure from three days ago",
    ]);
  });
});
