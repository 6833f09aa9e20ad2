import type { BackupsData } from "@infrastructor/shared/schemas/backups.ts";
import type { SmartVerdict } from "@infrastructor/shared/schemas/smart.ts";
import type { SystemData } from "@infrastructor/shared/schemas/system.ts";
import type { UpdatesData } from "@infrastructor/shared/schemas/updates.ts";
import type { ZfsData } from "@infrastructor/shared/schemas/zfs.ts";
import { formatAge, type Provenance } from "../../answer/provenance.ts";
import type { McpConfig } from "../../config.ts";
import type { ProblemContainer } from "../containers/container-store.ts";
import { type Finding, finding } from "./finding.ts";

/** One drive as judged: from the smart_drives table (with trends, and sleeping disks' last reading) or a live read. */
export interface DriveJudgement {
  device: string;
  label: string;
  verdict: SmartVerdict | null;
  reasons: readonly string[];
  error: { code: string; message: string } | null;
}

export function driveFindings(p: Provenance, drives: readonly DriveJudgement[]): Finding[] {
  return drives.flatMap((d) => {
    if (d.error !== null)
      return [finding(p, "info", `drive ${d.label} unreadable`, `${d.error.code}: ${d.error.message}`)];
    if (d.verdict === "failing")
      return [finding(p, "critical", `drive ${d.label} failing`, d.reasons.join("; "))];
    if (d.verdict === "warning")
      return [finding(p, "warning", `drive ${d.label} degrading`, d.reasons.join("; "))];
    return [];
  });
}

const FATAL_POOL = new Set(["FAULTED", "UNAVAIL", "SUSPENDED", "REMOVED"]);

export function zfsFindings(p: Provenance, data: ZfsData, diskPct: number): Finding[] {
  const out: Finding[] = [];
  for (const pool of data.status.ok ? data.status.value : []) {
    if (pool.state !== "ONLINE") {
      const severity = FATAL_POOL.has(pool.state) ? "critical" : "warning";
      const bad = pool.vdevs.filter((v) => v.state !== null && v.state !== "ONLINE" && v.depth > 0);
      const evidence = [
        pool.status_text,
        bad.map((v) => `${v.name} ${v.state}${v.note ? ` (${v.note})` : ""}`).join(", "),
      ]
        .filter(Boolean)
        .join("; ");
      out.push(finding(p, severity, `pool ${pool.name} ${pool.state}`, evidence || `state ${pool.state}`));
    }
    if (pool.data_errors !== null && pool.data_errors > 0) {
      out.push(
        finding(
          p,
          "critical",
          `pool ${pool.name} has data errors`,
          pool.errors_text ?? `${pool.data_errors} data errors`,
        ),
      );
    }
    const erring = pool.vdevs.filter(
      (v) => (v.read_errors ?? 0) + (v.write_errors ?? 0) + (v.cksum_errors ?? 0) > 0,
    );
    if (erring.length > 0) {
      const list = erring.map(
        (v) => `${v.name} r${v.read_errors ?? 0}/w${v.write_errors ?? 0}/c${v.cksum_errors ?? 0}`,
      );
      out.push(finding(p, "warning", `pool ${pool.name} vdev errors`, list.join(", ")));
    }
  }
  if (!data.status.ok)
    out.push(
      finding(
        p,
        "info",
        "zpool status unreadable",
        `${data.status.error.code}: ${data.status.error.message}`,
      ),
    );
  for (const pool of data.pools.ok ? data.pools.value : []) {
    // An UNAVAIL or FAULTED pool has no capacity (null): its state is the finding, not its fill.
    if (pool.capacity_pct !== null && pool.capacity_pct >= diskPct) {
      out.push(
        finding(p, "warning", `pool ${pool.name} ${pool.capacity_pct}% full`, `threshold ${diskPct}%`),
      );
    }
  }
  return out;
}

export function backupFindings(p: Provenance, data: BackupsData): Finding[] {
  return data.probes.flatMap((probe) => {
    if (probe.status === "ok") return [];
    const age = probe.age_s === null ? "no backup found" : `last ${formatAge(probe.age_s)} before collection`;
    const error = probe.error === null ? "" : `; ${probe.error.code}: ${probe.error.message}`;
    return [
      finding(
        p,
        probe.status === "failed" ? "critical" : "warning",
        `backup ${probe.name} (${probe.kind}) ${probe.status}`,
        `${age}, max ${probe.max_age_h} h${error}`,
      ),
    ];
  });
}

export function updateFindings(p: Provenance, data: UpdatesData): Finding[] {
  const out: Finding[] = [];
  if (data.pending.ok) {
    const security = data.pending.packages.filter((u) => u.kind === "security");
    if (security.length > 0) {
      const names = [...new Set(security.map((u) => u.name))];
      out.push(
        finding(
          p,
          "warning",
          `${security.length} security updates pending`,
          `${names.slice(0, 10).join(", ")}${names.length > 10 ? ", ..." : ""}`,
        ),
      );
    }
    const others = data.pending.packages.length - security.length;
    if (others > 0) out.push(finding(p, "info", `${others} other updates pending`, `${data.manager}`));
  } else {
    out.push(
      finding(
        p,
        "info",
        "pending updates unreadable",
        `${data.pending.error.code}: ${data.pending.error.message}`,
      ),
    );
  }
  if (data.reboot.required === "yes") {
    out.push(
      finding(
        p,
        "warning",
        "reboot required",
        data.reboot.packages.length
          ? `asked by ${data.reboot.packages.join(", ")}`
          : "reboot-required is set",
      ),
    );
  }
  const images = data.container_images;
  const newer = images?.ok ? images.containers.filter((c) => c.newer_image_present === "yes") : [];
  if (newer.length > 0) {
    out.push(
      finding(
        p,
        "info",
        `${newer.length} containers run an outdated image`,
        newer.map((c) => `${c.container} (${c.image})`).join(", "),
      ),
    );
  }
  return out;
}

export function dockerFindings(p: Provenance, containers: readonly ProblemContainer[]): Finding[] {
  return containers.flatMap((c) => {
    if (c.state === "restarting") {
      return [
        finding(
          p,
          "critical",
          `container ${c.name} restarting`,
          `${c.status}; ${c.restart_count} restarts; exit ${c.exit_code ?? "?"}`,
        ),
      ];
    }
    if (c.state === "dead") return [finding(p, "warning", `container ${c.name} dead`, c.status)];
    if (c.health === "unhealthy") {
      return [
        finding(
          p,
          "warning",
          `container ${c.name} unhealthy`,
          `health check failing; ${c.restart_count} restarts`,
        ),
      ];
    }
    return [];
  });
}

export function systemFindings(p: Provenance, data: SystemData, t: McpConfig["thresholds"]): Finding[] {
  const out: Finding[] = [];
  if (data.cpu !== null && data.cpu.usage_pct >= t.cpuPct) {
    out.push(
      finding(
        p,
        "warning",
        `cpu ${data.cpu.usage_pct.toFixed(0)}%`,
        `threshold ${t.cpuPct}%; load ${data.load.load_1}/${data.load.load_5}/${data.load.load_15}`,
      ),
    );
  }
  const mem = data.memory;
  const memPct =
    mem.total_bytes === 0 ? 0 : (100 * (mem.total_bytes - mem.available_bytes)) / mem.total_bytes;
  if (memPct >= t.memPct) {
    out.push(
      finding(
        p,
        "warning",
        `memory ${memPct.toFixed(0)}% used`,
        `${gib(mem.available_bytes)} of ${gib(mem.total_bytes)} available; threshold ${t.memPct}%`,
      ),
    );
  }
  for (const m of data.mounts) {
    const usable = m.used_bytes + m.free_bytes;
    if (usable === 0) continue;
    const pct = (100 * m.used_bytes) / usable;
    if (pct >= t.diskPct) {
      const severity = pct >= 98 ? "critical" : "warning";
      out.push(
        finding(
          p,
          severity,
          `disk ${m.mountpoint} ${pct.toFixed(0)}% full`,
          `${gib(m.free_bytes)} free of ${gib(m.size_bytes)} (${m.device}); threshold ${t.diskPct}%`,
        ),
      );
    }
  }
  return out;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
