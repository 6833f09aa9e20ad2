import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createDockerCollector } from "@infrastructor/domains/docker/agent/index.ts";
import type { SystemData } from "@infrastructor/domains/system/schema.ts";
import { parseZpoolStatus } from "@infrastructor/domains/zfs/agent/parse-zpool-status.ts";
import { fixture } from "@infrastructor/domains/zfs/agent/testing/captures.ts";
import type { ZfsData } from "@infrastructor/domains/zfs/schema.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { systemData } from "@infrastructor/lib/testing/envelopes.ts";
import { type Fleet, seedFleet } from "@infrastructor/lib/testing/mcp/fleet-seed.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createEnvelopeFactory } from "../../agent/src/envelope-factory.ts";
import type { PollResult } from "../../agent/src/safe-collect.ts";
import { deviceTemplates } from "../../bench/mcp/fleet-data.ts";
import { refreshRollups } from "../../collector/src/maintenance/refresh-rollups.ts";

/**
 * Many MCP clients hand the model only a tool's text. Each answer here is checked fact by fact on its
 * TEXT alone, over the fleet seed's real captures (nas: a DEGRADED pool resilvering, a canceled scrub;
 * alpha: this machine), a history with known trends, a pool whose scrub repaired bytes (the captured
 * healthy mirror with its repaired bytes raised: derived), and a fleet of FLEET devices from the
 * MCP benchmark's templates (real collector output), a third of them without Docker, for the budgets.
 */
const FLEET = 60;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Approximate tokens: characters / 4. */
const tokens = (text: string): number => Math.ceil(text.length / 4);
const PER_DEVICE_BUDGET = 1_500;
const FLEET_BUDGET = 2_500;

let harness: McpHarness;
let session: McpSession;
let fleet: Fleet;
let cleanupTemplates: () => Promise<void> = async () => {};
const fleetNames = Array.from({ length: FLEET }, (_, i) => `f-${String(i).padStart(3, "0")}`);
const noDocker = fleetNames.filter((_, i) => i % 3 === 1);

/** 24 hourly samples: cpu flat at 20, load falling 8 -> 2.25, memory rising 40% -> 63%. */
function trendSample(i: number): SystemData {
  const base = systemData(0);
  if (base.cpu === null) throw new Error("systemData has cpu");
  const total = 16_000_000_000;
  return {
    ...base,
    cpu: { ...base.cpu, usage_pct: 20 },
    load: { load_1: 8 - 0.25 * i, load_5: 0.4, load_15: 0.3 },
    memory: { ...base.memory, total_bytes: total, used_bytes: ((40 + i) / 100) * total },
  };
}

/** The captured healthy mirror (jc) with its scrub's repaired bytes raised to 1.50M: derived. */
async function repairedZfs(template: PollResult): Promise<PollResult> {
  const text = (await fixture("jc-healthy-mirror-scrub-done/zpool-status.txt")).replace(
    "scrub repaired 0B",
    "scrub repaired 1.50M",
  );
  const data = template.data as ZfsData;
  const pools = data.pools.ok ? data.pools.value.map((p) => ({ ...p, name: "pool1", health: "ONLINE" })) : [];
  return {
    ...template,
    data: {
      ...data,
      pools: { ok: true, value: pools.slice(0, 1) },
      status: { ok: true, value: parseZpoolStatus(text).items },
    },
  };
}

beforeAll(async () => {
  harness = await startMcpHarness();
  fleet = await seedFleet(harness);
  const now = Date.now();

  const trend = createEnvelopeFactory({ host: "trend" });
  const history: Envelope[] = Array.from({ length: 24 }, (_, i) =>
    trend.build("system", { data: trendSample(i), errors: [] }, new Date(now - (23 - i) * HOUR)),
  );
  await harness.publish(history);
  await refreshRollups(harness.servers.sql, {
    from: new Date(now - 30 * DAY),
    to: new Date(now + 5 * 60_000),
  });

  const templates = await deviceTemplates(20);
  cleanupTemplates = templates.cleanup;
  const absent = await createDockerCollector({
    executor: new LocalExecutor(),
    socket: "/nonexistent/answer-text/docker.sock",
  }).collect();
  expect(absent.unavailable?.code).toBe("COMMAND_MISSING");
  const envelopes = fleetNames.flatMap((host, i) => {
    const factory = createEnvelopeFactory({ host });
    const results = { ...templates.forDevice(i), ...(noDocker.includes(host) ? { docker: absent } : {}) };
    return Object.entries(results).map(([domain, result]) => factory.build(domain, result, new Date(now)));
  });
  const vault = createEnvelopeFactory({ host: "vault" });
  envelopes.push(
    vault.build("zfs", await repairedZfs(templates.forDevice(1).zfs as PollResult), new Date(now)),
  );
  await harness.publish(envelopes);
  session = await harness.connect();
}, 230_000);

afterAll(async () => {
  await fleet?.cleanup();
  await cleanupTemplates();
  await harness?.destroy();
}, 60_000);

async function text(name: string, args: Record<string, unknown>): Promise<string> {
  const result: CallToolResult = await session.call(name, args);
  const first = result.content[0];
  if (first?.type !== "text") throw new Error(`${name}: no text content`);
  if (result.isError) throw new Error(`${name}: ${first.text}`);
  return first.text;
}

describe("get_system_metrics: history in the text", () => {
  test("24h: per metric min/avg/max, first/last, trend with slope, series of at most 24 points", async () => {
    const t = await text("get_system_metrics", { device: "trend", range: "24h" });
    expect(t).toContain("load 2.25/0.4/0.3 (1/5/15 min) on 4 cores");
    expect(t).toContain("- memory %: min 40 avg 51.5 max 63; first 40, last 63; rising (+1/h)");
    expect(t).toMatch(
      /- load \(1 min\): min 2\.25 avg 5\.1\d max 8; first 8, last 2\.25; falling \(-0\.25\/h\) on 4 cores/,
    );
    expect(t).toMatch(/- cpu %: min 20 avg 20 max 20; first 20, last 20; flat \(0\/h\) at \d{4}-/);
    expect(t).toContain("24 samples");
    const series = t.split("\n").at(t.split("\n").findIndex((l) => l.startsWith("series")) + 1) ?? "";
    const entries = series.split(", ");
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.length).toBeLessThanOrEqual(24);
    expect(entries[0]).toMatch(/^\d{2}:\d{2} 20\/8\/40$/);
    expect(entries.at(-1)).toMatch(/^\d{2}:\d{2} 20\/2\.25\/63$/);
    expect(tokens(t)).toBeLessThan(PER_DEVICE_BUDGET);
  });

  test("30d: the slope is per day and the answer stays within budget", async () => {
    const t = await text("get_system_metrics", { device: "trend", range: "30d" });
    expect(t).toMatch(/- memory %: .*rising \(\+\d+(\.\d+)?\/day\)/);
    expect(tokens(t)).toBeLessThan(PER_DEVICE_BUDGET);
  });

  test("the latest sample's facts: cpu split, memory, swap, processes, filesystems, network", async () => {
    const t = await text("get_system_metrics", { device: "alpha" });
    const d = fleet.alpha.system.data as SystemData;
    expect(t).toContain(`${d.process_count} processes`);
    expect(t).toContain(`on ${d.cpu?.cores ?? navigator.hardwareConcurrency} cores`);
    for (const m of d.mounts.slice(0, 5)) expect(t).toContain(`- ${m.mountpoint} `);
    for (const n of d.interfaces.slice(0, 3)) expect(t).toContain(`${n.interface} rx `);
  });
});

describe("list_devices", () => {
  test("each device says stored and how old; shared facts once", async () => {
    const t = await text("list_devices", { limit: 100 });
    expect(t).toMatch(/^- alpha: reporting, stored, \d+ s old/m);
    expect(t).toMatch(/^- router: NOT REPORTING, stored, 2 h old/m);
    expect(t).toMatch(/^- f-000: reporting, stored, \d+ (s|min) old$/m);
    // Most devices run this machine's inventory: said once; router's unknowns are its own.
    const d = fleet.alpha.system.data as SystemData;
    expect(t).toMatch(
      new RegExp(
        `^Unless a line says otherwise: .*, ${d.cpu?.cores ?? navigator.hardwareConcurrency} cores, .* RAM, agent 0\\.1\\.0, SSH not configured\\.$`,
        "m",
      ),
    );
    expect(t).toMatch(
      /^- router: NOT REPORTING, stored, 2 h old; unknown OS, kernel \?, arch \?, \? cores, \? RAM$/m,
    );
    expect(tokens(t)).toBeLessThan(FLEET_BUDGET);
  });
});

describe("get_zfs_status", () => {
  test("nas: the resilver, its progress and the faulted member, the canceled scrub", async () => {
    const t = await text("get_zfs_status", { device: "nas" });
    expect(t).toMatch(/- tank DEGRADED, /);
    expect(t).toMatch(
      /resilver in progress, started 2024-03-05T02:00:01 host time \(about \d+ days ago\), 25\.1% done, 225\.0 GiB resilvered so far/,
    );
    expect(t).toContain("sdb-old FAULTED 12/3/0 too many errors");
    expect(t).toContain("sdc ONLINE 0/0/2");
    expect(t).toMatch(/scrub canceled 2024-03-03T09:12:44 host time \(about \d+ days ago\)/);
    expect(t).toContain("errors: No known data errors");
    expect(tokens(t)).toBeLessThan(PER_DEVICE_BUDGET);
  });

  test("vault: a scrub that repaired bytes is named as a finding, with its age", async () => {
    const t = await text("get_zfs_status", { device: "vault" });
    const days = Math.round((Date.now() - Date.parse("2023-02-12T11:40:04Z")) / DAY);
    const ago = new RegExp(`about (${days - 1}|${days}|${days + 1}) days ago`);
    expect(t).toMatch(
      /last scrub finished 2023-02-12T11:40:04 host time \(about \d+ days ago\), repaired 1\.5 MiB, 0 errors/,
    );
    expect(t).toMatch(ago);
    expect(t).toContain("1 with problems (pool1)");
    expect(t).toContain("problems: scrub repaired 1.5 MiB: corruption was found and fixed");
  });
});

describe("list_containers fleet-wide", () => {
  test("hosts without Docker are one summary line, not a line each", async () => {
    const t = await text("list_containers", {});
    const line = t.split("\n").find((l) => l.startsWith("docker not installed on "));
    expect(line).toBe(
      `docker not installed on ${noDocker.length} host(s): ${noDocker.slice(0, 12).join(", ")}, … (${noDocker.length - 12} more)`,
    );
    expect(t).toContain("no Docker data ever collected on 4 host(s): alpha, router, trend, vault");
    for (const host of noDocker) expect(t).not.toContain(`${host}: stored`);
    expect(tokens(t)).toBeLessThan(FLEET_BUDGET);
  });
});

describe("a mistyped device name", () => {
  test("suggests the closest names, whatever the tool", async () => {
    for (const [tool, args] of [
      ["get_zfs_status", {}],
      ["get_system_metrics", {}],
      ["list_containers", {}],
      ["get_device_info", {}],
    ] as const) {
      const result = await session.call(tool, { ...args, device: "nsa" });
      expect(result.isError).toBe(true);
      const first = result.content[0];
      expect(first?.type === "text" ? first.text : "").toMatch(
        /^NOT_FOUND: no device named "nsa"; did you mean nas\? \(\d+ devices/,
      );
    }
    const far = await session.call("get_zfs_status", { device: "f-0x7" });
    const message = far.content[0]?.type === "text" ? far.content[0].text : "";
    expect(message).toContain("did you mean f-007, f-017, f-027?");
    expect(message).not.toContain("alpha");
  });
});

/** The fleet seed's nas (real captures through the collectors), each tool's facts on its text alone. */
describe("each tool's text carries its facts (nas)", () => {
  test("get_device_info: reporting, domains with their status and age", async () => {
    const t = await text("get_device_info", { device: "nas" });
    expect(t).toMatch(/^nas: reporting, last seen \d+ s ago; SSH not configured\./);
    expect(t).toContain("domains: 7 ok; missing: inventory, logs, system, ups.");
    expect(t).toMatch(/^- zfs: ok, \d+ s old$/m);
  });

  test("get_vm_status: each guest's state, vCPUs, memory of its maximum, the sources", async () => {
    const t = await text("get_vm_status", { device: "nas" });
    expect(t).toContain("3 running, 2 stopped, 3 other (7 VMs, 1 LXC) on nas.");
    expect(t).toContain("sources: libvirt ok (5), proxmox ok (3)");
    expect(t).toContain(
      "- homeassistant (vm 100 on pve1): running, 4 vCPU, 3.0 GiB of 8.0 GiB memory, cpu 5.2%, up 10 d",
    );
    expect(t).toContain("- old-backup (vm old-backup): crashed");
  });

  test("list_containers and get_container_details: state, docker's status, health, image, limits", async () => {
    const list = await text("list_containers", { device: "nas" });
    expect(list).toContain("Unhealthy: nas/shop-web-1.");
    expect(list).toContain(
      '- nas/shop-db-1: exited, postgres:16, "Exited (137) 2 hours ago" [compose shop/db]',
    );
    expect(list).toContain("mem 51.0 MiB of 512 MiB");
    const details = await text("get_container_details", { device: "nas", container_name: "shop-web-1" });
    for (const fact of [
      "nas/shop-web-1 (3176a2479c92): running, unhealthy",
      "image nginx:1.27 (39286ab8a5e1)",
      "created 2026-11-02T09:14:30.123Z, started 2026-11-22T07:01:02.987Z, last finished 2026-11-22T07:00:59.500Z",
      "depends on db (service_healthy), cache (service_started)",
      "ports: 0.0.0.0:8080->80/tcp",
      "network shop_backend: 172.19.0.3, fd00:19::3 via 172.19.0.1, MAC 02:42:ac:13:00:03",
      "mount bind /srv/shop/nginx.conf -> /etc/nginx/nginx.conf (ro)",
      "labels: maintainer=NGINX Docker Maintainers",
      "pids 9",
    ])
      expect(details).toContain(fact);
  });

  test("get_service_dependencies: what is down and why", async () => {
    const t = await text("get_service_dependencies", { device: "nas", container_name: "shop-web-1" });
    expect(t).toContain("DOWN dependencies: shop-db-1");
    expect(t).toContain("no container of cache exists");
    expect(t).toContain("published 0.0.0.0:8080->80/tcp");
  });

  test("get_drive_health and verify_zfs_integrity name the failing drive and the degraded pool", async () => {
    const drives = await text("get_drive_health", { device: "nas" });
    expect(drives).toContain("1 failing (/dev/sdc)");
    expect(drives).toContain("24 reallocated sectors");
    expect(drives).toMatch(/Hitachi HDS721050DLE630, s\/n MSK423Y20S3HBC, 465\.8 GiB; 25 °C, 65592 h on/);
    const integrity = await text("verify_zfs_integrity", { device: "nas" });
    expect(integrity).toContain("tank");
    expect(integrity).toContain("DEGRADED");
  });

  test("get_zfs_snapshots: counts, space, newest and each snapshot", async () => {
    const t = await text("get_zfs_snapshots", { device: "nas" });
    expect(t).toMatch(/^nas: 3 snapshots in 2 datasets, 2\.5 GiB; newest \d+ d ago/);
    expect(t).toContain("- tank/vm-100-disk-0@before-upgrade 2024-02-29T09:46:40.000Z (1.0 GiB)");
  });

  test("get_network_topology: addresses, neighbours, the tailscale peer, the published port", async () => {
    const t = await text("get_network_topology", { device: "nas" });
    expect(t).toContain("nas addresses: eth0: 192.0.2.10/24, eth0: fd00::10/64");
    expect(t).toContain("- device:nas -[neighbour]-> device:alpha (eth0 192.0.2.2 REACHABLE)");
    expect(t).toContain("-[tailscale]-> device:router (router 100.64.0.3 online)");
    expect(t).toContain("router: stored, 2 h old, STALE");
  });

  test("list_docker_networks: subnets, gateways, members", async () => {
    const t = await text("list_docker_networks", { device: "nas" });
    expect(t).toContain(
      "- shop_backend (bridge, local) 172.19.0.0/16, fd00:19::/64 gw 172.19.0.1: shop-web-1 172.19.0.3, shop-db-1",
    );
  });

  test("get_backup_status: each probe's state, last success time, size and count", async () => {
    const t = await text("get_backup_status", { device: "nas" });
    expect(t).toContain("3 backup probes on nas: 1 failed, 1 late, 1 ok.");
    expect(t).toContain("COMMAND_MISSING: borg is not installed");
    expect(t).toMatch(/- pg-dump \(path\): LATE, last 30 h ago \(\d{4}-.+\) \(max 24 h\), 10 B/);
    // The capture's snapshot is from 2026-11-24: its age in days depends on today (rounded either way).
    const days = Number(/- restic-nas \(restic\): OK, last (\d+) d ago \(2026-11-24T01:02:59/.exec(t)?.[1]);
    const elapsed = (Date.now() - Date.parse("2026-11-24T01:02:59.880Z")) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(Math.floor(elapsed));
    expect(days).toBeLessThanOrEqual(Math.ceil(elapsed));
    expect(t).toContain("45.0 GiB, 2 snapshots");
  });

  test("check_updates: pending, security, reboot, newer images", async () => {
    const t = await text("check_updates", { device: "nas" });
    expect(t).toContain(
      "nas (apt): 5 pending, 4 security; reboot required: yes (linux-image-6.8.0-49-generic, libc6)",
    );
    expect(t).toContain("- [security] libssl3:amd64 3.0.14-1~deb12u2 -> 3.0.15-1~deb12u1 (stable-security)");
    expect(t).toContain("- container shop-web-1: newer nginx:1.27 present");
  });

  test("get_system_logs on a fleet device and analyze_infrastructure_health name what they found", async () => {
    // The bench templates' logs: the MCP tests' syslog file read by the logs collector.
    const logs = await text("get_system_logs", { device: "f-000", since: "30d" });
    expect(logs).toMatch(/^f-000 logs since .*: 6 entries \(crit 1, err 2, warning 2, info 1\)\.$/m);
    expect(logs).toMatch(/^\S+ crit kernel: EXT4-fs error \(device sdb1\): ext4_find_entry:1455$/m);
    expect(logs).toMatch(/^\S+ err sshd\[812\]: error: kex_exchange_identification/m);
    const health = await text("analyze_infrastructure_health", {});
    expect(health).toContain("NOT reporting: router");
  });

  test("get_container_logs without a live path says why, in its text", async () => {
    const result = await session.call("get_container_logs", { device: "nas", container_name: "shop-web-1" });
    expect(result.isError).toBe(true);
    const first = result.content[0];
    expect(first?.type === "text" ? first.text : "").toMatch(/^[A-Z_]+: .*nas/);
  });
});

/** Keys whose values name an item a question may ask about by name. */
const NAME_KEYS = new Set([
  "name",
  "mountpoint",
  "interface",
  "sensor",
  "disk",
  "dataset",
  "container",
  "subnet",
]);

/** Every name in a structured answer (provenance aside: it is about the answer, not the host). */
function namesIn(value: unknown, key = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => namesIn(v, key));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => (k === "provenance" ? [] : namesIn(v, k)));
  return NAME_KEYS.has(key) && typeof value === "string" ? [value] : [];
}

describe("every item the structured answer names is named in the text", () => {
  const calls: [string, Record<string, unknown>][] = [
    ["get_vm_status", { device: "nas" }],
    ["list_containers", { device: "nas" }],
    ["get_container_details", { device: "nas", container_name: "shop-web-1" }],
    ["get_service_dependencies", { device: "nas", container_name: "shop-web-1" }],
    ["get_system_metrics", { device: "alpha" }],
    ["get_system_metrics", { device: "f-000" }],
    ["get_zfs_status", { device: "nas" }],
    ["get_zfs_snapshots", { device: "nas" }],
    ["get_network_topology", { device: "nas" }],
    ["list_docker_networks", { device: "nas" }],
    ["get_backup_status", { device: "nas" }],
    ["check_updates", { device: "nas" }],
    ["list_devices", {}],
  ];
  test.each(calls)("%s %o", async (tool, args) => {
    const result = await session.call(tool, args);
    const first = result.content[0];
    const t = first?.type === "text" ? first.text : "";
    const names = [...new Set(namesIn(result.structuredContent))];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !t.includes(n))).toEqual([]);
  });
});

/** Every tool on the large fleet: a sick device's answer and the fleet-wide ones stay within budget. */
describe("token budget on a fleet of 60 devices", () => {
  const perDevice: [string, Record<string, unknown>][] = [
    ["get_device_info", {}],
    ["get_vm_status", {}],
    ["list_containers", {}],
    ["get_container_details", { container_name: "stack0-app0-1" }],
    ["get_service_dependencies", { container_name: "stack0-app0-1" }],
    ["get_system_metrics", { range: "24h" }],
    ["get_drive_health", {}],
    ["get_system_logs", {}],
    ["get_zfs_status", {}],
    ["get_zfs_snapshots", {}],
    ["verify_zfs_integrity", {}],
    ["get_network_topology", {}],
    ["list_docker_networks", {}],
    ["get_backup_status", {}],
    ["check_updates", {}],
  ];
  test.each(perDevice)("%s on one device: under 1,500 tokens", async (tool, args) => {
    const t = await text(tool, { ...args, device: "f-000" });
    expect(t.length).toBeGreaterThan(0);
    expect(tokens(t)).toBeLessThan(PER_DEVICE_BUDGET);
  });
  const fleetWide: [string, Record<string, unknown>][] = [
    ["list_devices", {}],
    ["list_containers", {}],
    ["get_network_topology", {}],
  ];
  test.each(fleetWide)("%s fleet-wide: under 2,500 tokens", async (tool, args) => {
    const t = await text(tool, args);
    expect(tokens(t)).toBeLessThan(FLEET_BUDGET);
  });
});
