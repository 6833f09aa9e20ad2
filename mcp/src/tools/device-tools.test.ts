import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Fleet, seedFleet } from "@infrastructor/lib/testing/mcp/fleet-seed.ts";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";

let harness: McpHarness;
let session: McpSession;
let fleet: Fleet;

beforeAll(async () => {
  harness = await startMcpHarness();
  fleet = await seedFleet(harness);
  // nas gets an SSH target with a key file; no live source in this session, so nothing is read live.
  await harness.servers.sql`
    UPDATE devices SET ssh_host = 'nas.lan', ssh_user = 'monitor', ssh_key_path = '/home/op/.ssh/id_ed25519'
    WHERE hostname = 'nas'`;
  session = await harness.connect();
}, 180_000);

afterAll(async () => {
  await harness?.destroy();
  await fleet?.cleanup();
}, 60_000);

// biome-ignore lint/suspicious/noExplicitAny: tests read structuredContent freely
type Any = Record<string, any>;
const call = async (name: string, args: Record<string, unknown>): Promise<Any> => {
  const result = await session.call(name, args);
  expect(result.isError).toBeFalsy();
  return result.structuredContent as Any;
};
const errorOf = async (
  name: string,
  args: Record<string, unknown>,
): Promise<{ code: string; message: string }> => {
  const result = await session.call(name, args);
  expect(result.isError).toBe(true);
  return (result.structuredContent as { error: { code: string; message: string } }).error;
};

describe("get_device_info", () => {
  test("this machine: registry, real inventory, and a status row per domain", async () => {
    const s = await call("get_device_info", { device: "alpha" });
    expect(s.device).toMatchObject({ name: "alpha", reporting: true });
    expect(s.inventory.kernel).toBe((await Bun.file("/proc/sys/kernel/osrelease").text()).trim());
    expect(s.inventory.cpu_logical_cores).toBe(navigator.hardwareConcurrency);
    expect(s.inventory.uptime_s).toBeGreaterThan(0);
    expect(s.ssh).toEqual({
      configured: false,
      host: null,
      port: null,
      user: null,
      auth: null,
      key_file: null,
    });
    expect(s.provenance).toMatchObject({
      device: "alpha",
      domain: "inventory",
      source: "stored",
      stale: false,
    });
    const byDomain = Object.fromEntries(s.domains.map((d: Any) => [d.domain, d]));
    for (const d of ["inventory", "network", "system", "updates"]) {
      expect(byDomain[d]).toMatchObject({ status: "ok", stale: false, problem: null });
    }
    expect(byDomain.vms).toMatchObject({ status: "unavailable", problem: { code: "COMMAND_MISSING" } });
    expect(byDomain.smart).toMatchObject({ status: "missing", observed_at: null, stale: true });
    expect(s.summary).toMatchObject({ domains_ok: 4, domains_failed: [], domains_unavailable: ["vms"] });
    expect(s.summary.domains_missing).toEqual(["backups", "docker", "logs", "smart", "ups", "zfs"]);
  });

  test("nas: no inventory yet, SSH key by file name only", async () => {
    const result = await session.call("get_device_info", { device: "nas" });
    const s = result.structuredContent as Any;
    expect(s.inventory).toBeNull();
    expect(s.provenance).toMatchObject({ source: "none", stale: true });
    expect(s.ssh).toEqual({
      configured: true,
      host: "nas.lan",
      port: 22,
      user: "monitor",
      auth: "key_file",
      key_file: "id_ed25519",
    });
    expect(JSON.stringify(result)).not.toContain("/home/op");
    // The text alone says how live reads would log in, without the key's directory.
    const first = result.content[0];
    expect(first?.type === "text" ? first.text : "").toContain(
      "SSH monitor@nas.lan:22 with key file id_ed25519.",
    );
    expect(s.summary.domains_ok).toBe(7);
    expect(s.summary.domains_missing).toEqual(["inventory", "logs", "system", "ups"]);
  });

  test("router: silent for 2 h, its domains are stale; unknown and bad names are refused", async () => {
    const s = await call("get_device_info", { device: "router" });
    expect(s.device.reporting).toBe(false);
    expect(s.summary.domains_stale).toEqual(["backups", "network"]);
    const text = (await session.call("get_device_info", { device: "router" })).content[0];
    expect(text?.type === "text" ? text.text : "").toMatch(
      /^- network: ok, 2 h old STALE \(after \d+ min\)$/m,
    );
    expect((await errorOf("get_device_info", { device: "ghost" })).code).toBe("NOT_FOUND");
    expect((await errorOf("get_device_info", { device: "--help" })).code).toBe("INVALID_ARGUMENT");
  });
});

describe("get_vm_status", () => {
  test("libvirt and Proxmox guests, counts first, crashed and paused first", async () => {
    const s = await call("get_vm_status", { device: "nas" });
    expect(s.summary).toEqual({ guests: 8, running: 3, stopped: 2, other: 3, vms: 7, lxc: 1 });
    expect(s.sources).toEqual([
      { source: "libvirt", status: "ok", guests: 5, error: null, item_errors: [], item_errors_dropped: 0 },
      { source: "proxmox", status: "ok", guests: 3, error: null, item_errors: [], item_errors_dropped: 0 },
    ]);
    expect(s.guests.map((g: Any) => `${g.name}:${g.state}`)).toEqual([
      "old-backup:crashed",
      "db-primary:paused",
      "win11.lab:suspended",
      "homeassistant:running",
      "pihole:running",
      "web01:running",
      "build_runner:stopped",
      "win-test:stopped",
    ]);
    const ha = s.guests.find((g: Any) => g.name === "homeassistant");
    expect(ha).toMatchObject({ id: "100", type: "vm", source: "proxmox", node: "pve1", vcpus: 4 });
    expect(ha).toMatchObject({ memory_bytes: 3221225472, memory_max_bytes: 8589934592, uptime_s: 864000 });
    expect(ha.cpu_pct).toBeCloseTo(5.23, 2);
    expect(s.guests.find((g: Any) => g.name === "pihole")).toMatchObject({ type: "lxc", id: "200" });
    expect(s.provenance).toMatchObject({ device: "nas", domain: "vms", source: "stored", stale: false });
  });

  test("pages, and answers COMMAND_MISSING without libvirt/Proxmox and NOT_FOUND without data", async () => {
    const page = await call("get_vm_status", { device: "nas", limit: 2, offset: 2 });
    expect(page.guests.map((g: Any) => g.name)).toEqual(["win11.lab", "homeassistant"]);
    expect(page.page).toMatchObject({ total: 8, offset: 2, returned: 2, next_offset: 4 });
    const missing = await errorOf("get_vm_status", { device: "alpha" });
    expect(missing.code).toBe("COMMAND_MISSING");
    expect(missing.message).toContain("neither virsh (libvirt) nor pvesh");
    const none = await errorOf("get_vm_status", { device: "router" });
    expect(none.code).toBe("NOT_FOUND");
    expect(none.message).toContain("no vms data has been collected from router");
  });
});

describe("get_backup_status", () => {
  test("failed, then late, then ok, with sizes and ages", async () => {
    const s = await call("get_backup_status", { device: "nas" });
    expect(s.summary).toEqual({ probes: 3, ok: 1, late: 1, failed: 1, attention: ["borg-off", "pg-dump"] });
    const [borg, dump, restic] = s.probes;
    expect(borg).toMatchObject({ name: "borg-off", kind: "borg", status: "failed", last_success_at: null });
    expect(borg.error.code).toBe("COMMAND_MISSING");
    expect(dump).toMatchObject({
      name: "pg-dump",
      kind: "path",
      status: "late",
      size_bytes: 10,
      late_now: true,
    });
    expect(dump.age_s / 3600).toBeCloseTo(30, 0);
    expect(restic).toMatchObject({
      name: "restic-nas",
      status: "ok",
      size_bytes: 48329031680,
      last_success_at: "2026-11-24T01:02:59.880Z",
    });
  });

  test("backup_type keeps one kind; a bad one is INVALID_ARGUMENT", async () => {
    const s = await call("get_backup_status", { device: "nas", backup_type: "restic" });
    expect(s.probes.map((p: Any) => p.name)).toEqual(["restic-nas"]);
    expect(s.summary.probes).toBe(1);
    expect((await errorOf("get_backup_status", { device: "nas", backup_type: "tape" })).code).toBe(
      "INVALID_ARGUMENT",
    );
  });

  test("the silent router's answer is stored and marked stale; none collected is NOT_FOUND", async () => {
    const s = await call("get_backup_status", { device: "router" });
    expect(s.probes).toMatchObject([{ name: "restic-router", status: "failed" }]);
    expect(s.provenance).toMatchObject({ source: "stored", stale: true });
    expect(s.provenance.age_s).toBeGreaterThan(7000);
    expect((await errorOf("get_backup_status", { device: "alpha" })).code).toBe("NOT_FOUND");
  });
});

describe("check_updates", () => {
  test("nas: security first, reboot and its packages, a container with a newer image", async () => {
    const s = await call("check_updates", { device: "nas" });
    expect(s.summary).toEqual({
      manager: "apt",
      pending: 5,
      security: 4,
      reboot_required: "yes",
      containers_with_newer_image: 1,
    });
    expect(s.packages.map((p: Any) => `${p.kind}:${p.name}:${p.arch}`)).toEqual([
      "security:libc6:amd64",
      "security:libc6:i386",
      "security:libssl3:amd64",
      "security:openssl:amd64",
      "regular:tzdata:all",
    ]);
    expect(s.reboot).toEqual({ required: "yes", packages: ["linux-image-6.8.0-49-generic", "libc6"] });
    expect(s.containers.newer_image_present).toEqual([
      {
        container: "shop-web-1",
        image: "nginx:1.27",
        running_image_id: "sha256:39286ab8a5e14aeaf5fdd6e2fac76e0c8d31a0c07224f0ee5e6be502f12e93f3",
      },
    ]);
  });

  test("package_type: container only, or another manager than the host's", async () => {
    const containers = await call("check_updates", { device: "nas", package_type: "container" });
    expect(containers.packages).toEqual([]);
    expect(containers.containers.checked).toBe(1);
    const dnf = await call("check_updates", { device: "nas", package_type: "dnf" });
    expect(dnf.packages).toEqual([]);
    expect(dnf.containers).toBeNull();
    expect(dnf.note).toContain("uses apt");
  });

  test("this machine's real apt list, paged", async () => {
    const data = fleet.alpha.updates.data;
    if (data === null || !data.pending.ok) throw new Error("apt list did not run here");
    const packages = data.pending.packages;
    const s = await call("check_updates", { device: "alpha", limit: 10 });
    expect(s.summary.pending).toBe(packages.length);
    expect(s.summary.security).toBe(packages.filter((p) => p.kind === "security").length);
    expect(s.page).toMatchObject({ total: packages.length, returned: Math.min(10, packages.length) });
    if (packages.length > 10) {
      expect(s.page.next_offset).toBe(10);
      const next = await call("check_updates", { device: "alpha", limit: 10, offset: 10 });
      const seen = new Set([...s.packages, ...next.packages].map((p: Any) => `${p.name}:${p.arch}`));
      expect(seen.size).toBe(Math.min(20, packages.length));
    }
    expect(s.provenance).toMatchObject({ device: "alpha", domain: "updates", source: "stored" });
  });
});
