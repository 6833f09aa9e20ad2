import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { subnetOf } from "@infrastructor/domains/network/server/tools/ip-net.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { type Fleet, seedFleet } from "@infrastructor/lib/testing/mcp/fleet-seed.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { CallToolResultSchema, LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { CollectorLiveSource } from "../live/collector-live-source.ts";
import { HEALTH_DOMAINS } from "./fleet/health-check.ts";

let harness: McpHarness;
let session: McpSession;
let fleet: Fleet;
const FRESH_FOR = "system=30m";

beforeAll(async () => {
  harness = await startMcpHarness();
  fleet = await seedFleet(harness);
  // Fresh devices must stay "reporting" however long a loaded machine takes between seeding and the
  // assertions (the default system threshold is 45 s); router's data is hours old either way.
  session = await harness.connect({ env: { MCP_STALE_AFTER: FRESH_FOR } });
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await fleet?.cleanup();
}, 60_000);

// biome-ignore lint/suspicious/noExplicitAny: tests read structuredContent freely
type Any = Record<string, any>;
const call = async (s: McpSession, name: string, args: Record<string, unknown> = {}): Promise<Any> => {
  const result = await s.call(name, args);
  expect(result.isError).toBeFalsy();
  return result.structuredContent as Any;
};

/** alpha's real subnets (global addresses on eth-like interfaces), to know what it shares with the fixtures. */
function alphaSubnets(): Set<string> {
  const ifaces = fleet.alpha.network.data?.interfaces;
  if (!ifaces?.ok) return new Set();
  return new Set(
    ifaces.value
      .filter(
        (i) =>
          i.link_type !== "loopback" &&
          i.state !== "down" &&
          !/^(docker|br-|cni-|podman|veth|virbr)/.test(i.name),
      )
      .flatMap((i) => i.addresses.filter((a) => a.scope === "global"))
      .map((a) => subnetOf(a.address, a.prefix_len) ?? ""),
  );
}

describe("get_network_topology", () => {
  test("the fleet: shared subnets, neighbours and peers resolved to devices, a published port", async () => {
    const s = await call(session, "get_network_topology");
    const lan = s.summary.shared_subnets.find((x: Any) => x.subnet === "192.0.2.0/24");
    const alphaOnLan = alphaSubnets().has("192.0.2.0/24");
    expect(lan.devices).toEqual(alphaOnLan ? ["alpha", "nas", "router"] : ["nas", "router"]);
    expect(s.summary.devices).toBe(3);
    expect(s.summary.containers).toBe(1);
    const edges = s.edges.map((e: Any) => `${e.from} ${e.kind} ${e.to}`);
    expect(edges).toContain("device:nas in_subnet subnet:192.0.2.0/24");
    expect(edges).toContain("device:router in_subnet subnet:fd00::/64");
    // nas sees alpha's address and the router's MAC; the router sees nas; Tailscale names the router.
    expect(edges).toContain("device:nas neighbour device:alpha");
    expect(edges).toContain("device:nas neighbour device:router");
    expect(edges).toContain("device:router neighbour device:nas");
    expect(edges).toContain("device:nas tailscale device:router");
    expect(s.edges.find((e: Any) => e.kind === "published_port")).toEqual({
      from: "container:nas/shop-web-1",
      to: "device:nas",
      kind: "published_port",
      detail: "0.0.0.0:8080->80/tcp, :::8080->80/tcp",
    });
    // The fixture's Tailscale peer "laptop" is no device of ours; podman's bridge is no shared subnet.
    expect(s.summary.unresolved_neighbours).toBeGreaterThanOrEqual(1);
    expect(s.nodes.map((n: Any) => n.id)).not.toContain("subnet:10.88.0.0/16");
    expect(s.summary.edges.published_port).toBe(1);
    expect(s.truncated).toBe(false);
    const router = s.provenance.find((p: Any) => p.device === "router" && p.domain === "network");
    expect(router).toMatchObject({ source: "stored", stale: true });
    expect(s.provenance.find((p: Any) => p.device === "nas" && p.domain === "docker")).toMatchObject({
      stale: false,
    });
  });

  test("device narrows to its neighbourhood; an unknown device is NOT_FOUND", async () => {
    const s = await call(session, "get_network_topology", { device: "router" });
    expect(s.nodes.map((n: Any) => n.type)).not.toContain("container");
    for (const e of s.edges) {
      const touches = e.from === "device:router" || e.to === "device:router" || e.kind === "in_subnet";
      expect(touches).toBe(true);
    }
    expect(s.edges.map((e: Any) => `${e.from} ${e.kind} ${e.to}`)).toContain(
      "device:nas tailscale device:router",
    );
    const ghost = await session.call("get_network_topology", { device: "ghost" });
    expect((ghost.structuredContent as Any).error.code).toBe("NOT_FOUND");
  });
});

/**
 * What went in on nas and router, worst first (alpha's real host adds only its own findings): the
 * degraded pool with its failing member sdc (and degrading sda) as one finding, then the host down;
 * then data at risk, services, hygiene.
 */
const EXPECTED = [
  [
    "critical",
    "nas",
    "zfs",
    "pool tank DEGRADED with failing member /dev/sdc (Hitachi HDS721050DLE630 MSK423Y20S3HBC)",
  ],
  ["critical", "router", "agent", "not reporting"],
  ["warning", "nas", "zfs", "pool tank vdev errors"],
  ["warning", "nas", "backups", "backup borg-off (borg) never succeeded"],
  ["warning", "router", "backups", "backup restic-router (restic) never succeeded"],
  ["warning", "nas", "backups", "backup pg-dump (path) late"],
  ["warning", "nas", "docker", "container shop-db-1 exited with code 137"],
  ["warning", "nas", "docker", "container shop-web-1 depends on cache, which is down"],
  ["warning", "nas", "docker", "container shop-web-1 depends on db, which is down"],
  ["warning", "nas", "docker", "container shop-web-1 unhealthy"],
  ["warning", "nas", "updates", "4 security updates pending"],
  ["warning", "nas", "updates", "reboot required"],
  ["info", "nas", "updates", "1 other updates pending"],
  ["info", "nas", "updates", "1 containers run an outdated image"],
];

describe("analyze_infrastructure_health", () => {
  test("every finding that went in, worst first, with evidence and the age of its data", async () => {
    const s = await call(session, "analyze_infrastructure_health", { limit: 500 });
    const ours = s.findings.filter((f: Any) => f.device !== "alpha");
    expect(ours.map((f: Any) => [f.severity, f.device, f.domain, f.what])).toEqual(EXPECTED);
    const ranks = s.findings.map((f: Any) => ["critical", "warning", "info"].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(s.summary).toMatchObject({ devices: 3, reporting: 2, not_reporting: ["router"] });
    expect(s.summary.critical).toBe(s.findings.filter((f: Any) => f.severity === "critical").length);

    const by = (what: string): Any => s.findings.find((f: Any) => f.what === what);
    expect(by("not reporting")).toMatchObject({ source: "stored", stale: true });
    expect(by("not reporting").age_s).toBeGreaterThan(7000);
    expect(by("reboot required").evidence).toBe("asked by linux-image-6.8.0-49-generic, libc6");
    expect(by("4 security updates pending").evidence).toBe("libssl3, openssl, libc6");
    expect(by("pool tank vdev errors").evidence).toBe("sdb-old r12/w3/c0, sdc r0/w0/c2");
    expect(by("backup borg-off (borg) never succeeded").evidence).toContain("COMMAND_MISSING");
    expect(by("backup restic-router (restic) never succeeded")).toMatchObject({
      stale: true,
      source: "stored",
    });
    // Both drives of tank with findings are in its one finding: sdc failing, sda degrading.
    const tank = s.findings[0];
    expect(tank.related.map((r: Any) => [r.what, r.evidence])).toEqual([
      ["drive /dev/sda (WDC WD20EFRX-68EUZN0 REDACTED) degrading", "24 reallocated sectors"],
      [
        "drive /dev/sdc (Hitachi HDS721050DLE630 MSK423Y20S3HBC) failing",
        "SMART health self-assessment FAILED; prefail attribute Reallocated_Sector_Ct at or below threshold (1 <= 5); 1975 reallocated sectors; 8 pending sectors; the drive's error log has entries; the self-test log has errors",
      ],
    ]);

    const alphaUpdates = fleet.alpha.updates.data;
    if (alphaUpdates?.pending.ok && alphaUpdates.pending.packages.length > 0) {
      const n = alphaUpdates.pending.packages.filter((p) => p.kind !== "security").length;
      expect(s.findings).toContainEqual(
        expect.objectContaining({ device: "alpha", domain: "updates", what: `${n} other updates pending` }),
      );
    }
    expect(s.coverage.find((c: Any) => c.domain === "backups")).toEqual({
      domain: "backups",
      fresh: 1,
      stale: 1,
      live: 0,
      unavailable: 0,
      missing: 1,
    });
  });

  test("findings are paged, and the text starts with the summary", async () => {
    const all = await call(session, "analyze_infrastructure_health", { limit: 500 });
    const first = await call(session, "analyze_infrastructure_health", { limit: 3 });
    // age_s moves between two calls; the findings and their order must not.
    const timeless = (findings: Any[]): Any[] => findings.map(({ age_s: _age, ...rest }: Any) => rest);
    expect(timeless(first.findings)).toEqual(timeless(all.findings.slice(0, 3)));
    expect(first.page).toMatchObject({ total: all.findings.length, next_offset: 3 });
    const second = await call(session, "analyze_infrastructure_health", { limit: 3, offset: 3 });
    expect(timeless(second.findings)).toEqual(timeless(all.findings.slice(3, 6)));
    const text = (await session.call("analyze_infrastructure_health", { limit: 3 })).content[0];
    expect(text?.type === "text" && text.text.split("\n")[0]).toContain("NOT reporting: router");
  });

  test("thresholds from the configuration: memory and each mount over them", async () => {
    const low = await harness.connect({
      env: { MCP_STALE_AFTER: FRESH_FOR, MCP_MEM_WARN_PCT: "1", MCP_DISK_WARN_PCT: "1" },
    });
    const s = await call(low, "analyze_infrastructure_health", { limit: 500 });
    const system = s.findings.filter((f: Any) => f.device === "alpha" && f.domain === "system");
    const sample = fleet.alpha.system.data;
    if (sample === null) throw new Error("no system sample");
    const full = sample.mounts.filter(
      (m) => m.used_bytes + m.free_bytes > 0 && (100 * m.used_bytes) / (m.used_bytes + m.free_bytes) >= 1,
    );
    expect(
      system
        .filter((f: Any) => f.what.startsWith("disk "))
        .map((f: Any) => f.what.split(" ")[1])
        .sort(),
    ).toEqual(full.map((m) => m.mountpoint).sort());
    expect(system.some((f: Any) => f.what.startsWith("memory "))).toBe(true);
    expect(s.summary.thresholds).toEqual({ cpu_pct: 90, mem_pct: 1, disk_pct: 1 });
  });

  test("a stale device with a live target is read live, with progress and a log message", async () => {
    // The router "has SSH": its live reads run this machine's collectors (router has no probes there).
    const live = await harness.connect({
      live: () => new CollectorLiveSource((d) => (d.hostname === "router" ? new LocalExecutor() : null)),
    });
    const logs: string[] = [];
    live.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(String(n.params.data));
    });
    const progress: { progress: number; total?: number }[] = [];
    const result = await live.client.callTool(
      { name: "analyze_infrastructure_health", arguments: { limit: 500 } },
      CallToolResultSchema,
      { onprogress: (p) => progress.push(p), timeout: 120_000 },
    );
    const s = result.structuredContent as Any;
    // Every domain the check judges (the six of its own rules, then each with payload findings: ups)
    // was stale or missing on router: one live read each, in order.
    const n = HEALTH_DOMAINS.length;
    expect(HEALTH_DOMAINS.slice(0, 7)).toEqual([
      "system",
      "smart",
      "zfs",
      "backups",
      "updates",
      "docker",
      "ups",
    ]);
    expect(progress).toHaveLength(n);
    expect(progress.map((p) => p.progress)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === n)).toBe(true);
    expect(logs.filter((l) => l.startsWith("falling back to live SSH for router"))).toHaveLength(n);
    expect(s.coverage.every((c: Any) => c.live === 1)).toBe(true);
    // Live, router has no backup probes: its failed restic backup is gone; it still does not report.
    expect(s.findings.some((f: Any) => f.what.startsWith("backup restic-router"))).toBe(false);
    expect(s.findings.find((f: Any) => f.device === "router" && f.domain === "agent")?.what).toBe(
      "not reporting",
    );
    const routerUpdates = s.findings.filter((f: Any) => f.device === "router" && f.domain === "updates");
    for (const f of routerUpdates) expect(f).toMatchObject({ source: "live", stale: false });
  }, 120_000);
});
