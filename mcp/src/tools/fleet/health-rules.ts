import type { BackupsData } from "@infrastructor/domains/backups/schema.ts";
import type { SmartVerdict } from "@infrastructor/domains/smart/schema.ts";
import type { SystemData } from "@infrastructor/domains/system/schema.ts";
import type { UpdatesData } from "@infrastructor/domains/updates/schema.ts";
import type { ZfsData } from "@infrastructor/domains/zfs/schema.ts";
import { damagedFiles, namedFiles } from "@infrastructor/domains/zfs/server/tools/zfs/integrity.ts";
import {
  deviceErrors,
  largerCounts,
  poolErrors,
  poolFull,
  unreadStatusBlocks,
} from "@infrastructor/domains/zfs/views.ts";
import { formatAge, type Provenance } from "../../answer/provenance.ts";
import type { McpConfig } from "../../config.ts";
import { formatBytes } from "../common/domain-data.ts";
import { vdevNames } from "./drive-match.ts";
import { finding, type JudgedFinding } from "./finding.ts";
import {
  driveVerdictSeverity,
  memberStateSeverity,
  permanentErrorsSeverity,
  poolStateSeverity,
  worstSeverity,
} from "./severity.ts";

/** One drive as judged: from the smart_drives table (with trends, and sleeping disks' last reading) or a live read. */
export interface DriveJudgement {
  device: string;
  label: string;
  model: string | null;
  serial: string | null;
  verdict: SmartVerdict | null;
  reasons: readonly string[];
  error: { code: string; message: string } | null;
}

export function driveFindings(p: Provenance, drives: readonly DriveJudgement[]): JudgedFinding[] {
  return drives.flatMap((d): JudgedFinding[] => {
    if (d.error !== null)
      return [
        finding(
          p,
          "drive_unreadable",
          "info",
          `drive ${d.label} unreadable`,
          `${d.error.code}: ${d.error.message}`,
        ),
      ];
    const severity = driveVerdictSeverity(d.verdict);
    if (severity === null) return [];
    const failing = severity === "critical";
    const f = finding(
      p,
      failing ? "drive_failing" : "drive_degrading",
      severity,
      `drive ${d.label} ${failing ? "failing" : "degrading"}`,
      d.reasons.join("; "),
      d.reasons.length,
    );
    return [{ ...f, hints: { drive: { device: d.device, model: d.model, serial: d.serial } } }];
  });
}

/** Pool states, members, permanent errors, device errors, repaired scrubs and capacity of each pool. */
export function zfsFindings(p: Provenance, data: ZfsData, diskPct: number): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  for (const pool of data.status.ok ? data.status.value : []) {
    const leaves = pool.vdevs.filter((v) => v.depth > 0 && v.state !== null);
    const members = leaves.flatMap(vdevNames);
    const bad = leaves.filter((v) => memberStateSeverity(v.state) !== null);
    const badText = bad.map((v) => `${v.name} ${v.state}${v.note ? ` (${v.note})` : ""}`).join(", ");
    const hints = { pool: { name: pool.name, members, bad: badText, text: pool.status_text } };
    const severity = worstSeverity([
      poolStateSeverity(pool.state),
      ...bad.map((v) => memberStateSeverity(v.state)),
    ]);
    if (severity !== null) {
      // The members first: they are the facts; zpool's status text explains them.
      const evidence = [badText, pool.status_text].filter(Boolean).join("; ");
      const what =
        pool.state === "ONLINE"
          ? `pool ${pool.name} member ${bad.map((v) => `${v.name} ${v.state}`).join(", ")}`
          : `pool ${pool.name} ${pool.state}`;
      out.push({
        ...finding(p, "pool_state", severity, what, evidence || `state ${pool.state}`, bad.length),
        hints,
      });
    }
    // A count, or (zpool status -v) the damaged files listed without one.
    const { files, total: filesTotal } = damagedFiles(pool);
    if (permanentErrorsSeverity(pool.data_errors, files.length) !== null) {
      const count = pool.data_errors ?? filesTotal;
      const named =
        files.length === 0
          ? (pool.errors_text ?? `${count} data errors`)
          : `damaged: ${namedFiles(files, filesTotal)}`;
      out.push(
        finding(
          p,
          "permanent_errors",
          "critical",
          `pool ${pool.name} has ${count} permanent data errors`,
          named,
          count,
        ),
      );
    }
    const erring = pool.vdevs.filter(
      (v) => (v.read_errors ?? 0) + (v.write_errors ?? 0) + (v.cksum_errors ?? 0) > 0,
    );
    if (erring.length > 0) {
      // The pool's errors as the tables store them (views.ts): each counter once, never summed over levels.
      const e = largerCounts(deviceErrors(pool), poolErrors(pool));
      const total = e === null ? 0 : e.read + e.write + e.cksum;
      const list = erring.map(
        (v) => `${v.name} r${v.read_errors ?? 0}/w${v.write_errors ?? 0}/c${v.cksum_errors ?? 0}`,
      );
      out.push({
        ...finding(p, "vdev_errors", "warning", `pool ${pool.name} vdev errors`, list.join(", "), total),
        hints,
      });
    }
    const scan = pool.scan;
    if (scan.function === "scrub" && scan.state === "finished") {
      const when = scan.at_local === null ? "" : ` on ${scan.at_local} (host time)`;
      if ((scan.repaired_bytes ?? 0) > 0) {
        out.push(
          finding(
            p,
            "scrub_repaired",
            "warning",
            `pool ${pool.name} scrub repaired ${formatBytes(scan.repaired_bytes ?? 0)}`,
            `corruption found and fixed: the scrub finished${when} after repairing ${scan.repaired_bytes} bytes, ${scan.errors ?? 0} errors left`,
            scan.repaired_bytes ?? 0,
          ),
        );
      }
      if ((scan.errors ?? 0) > 0) {
        out.push(
          finding(
            p,
            "scrub_errors",
            "warning",
            `pool ${pool.name} scrub found ${scan.errors} errors`,
            `the scrub finished${when} with ${scan.errors} errors it could not repair`,
            scan.errors ?? 0,
          ),
        );
      }
    }
  }
  // A pool `zpool list` names but whose status block is missing or unreadable: its list health is all
  // there is (an UNAVAIL or FAULTED pool must not vanish because its status could not be read).
  const described = new Set(data.status.ok ? data.status.value.map((s) => s.name) : []);
  const unread = new Map(
    [...unreadStatusBlocks(data)].map(([name, e]) => [name, `${e.code}: ${e.message}`] as const),
  );
  for (const pool of data.pools.ok ? data.pools.value : []) {
    if (described.has(pool.name)) continue;
    const severity = poolStateSeverity(pool.health);
    if (severity !== null) {
      const why = unread.get(pool.name);
      out.push(
        finding(
          p,
          "pool_state",
          severity,
          `pool ${pool.name} ${pool.health}`,
          `zpool list health ${pool.health}${why === undefined ? "" : `; its zpool status could not be read: ${why}`}`,
          1,
        ),
      );
      unread.delete(pool.name);
    }
  }
  for (const [name, why] of unread) {
    out.push(finding(p, "source_unreadable", "warning", `pool ${name}: zpool status unreadable`, why));
  }
  if (!data.status.ok)
    out.push(
      finding(
        p,
        "source_unreadable",
        "info",
        "zpool status unreadable",
        `${data.status.error.code}: ${data.status.error.message}`,
      ),
    );
  for (const pool of data.pools.ok ? data.pools.value : []) {
    // An UNAVAIL or FAULTED pool has no capacity (null): its state is the finding, not its fill.
    if (poolFull(pool, diskPct)) {
      out.push(
        finding(
          p,
          "pool_full",
          "warning",
          `pool ${pool.name} ${pool.capacity_pct}% full`,
          `${formatBytes(pool.free_bytes ?? 0)} free of ${formatBytes(pool.size_bytes ?? 0)}; threshold ${diskPct}%`,
          pool.capacity_pct ?? 0,
        ),
      );
    }
  }
  return out;
}

/**
 * Backups late or failed; `never` names the probes that have no successful run on record at all
 * (health-history.ts), which say so instead of "failed".
 */
export function backupFindings(
  p: Provenance,
  data: BackupsData,
  never: ReadonlyMap<string, Date | null> = new Map(),
): JudgedFinding[] {
  return data.probes.flatMap((probe): JudgedFinding[] => {
    if (probe.status === "ok") return [];
    const error = probe.error === null ? "" : `; ${probe.error.code}: ${probe.error.message}`;
    if (never.has(probe.name)) {
      const since = never.get(probe.name);
      const checked = since ? `checked since ${since.toISOString()}` : "checked";
      return [
        finding(
          p,
          "backup_never_succeeded",
          "warning",
          `backup ${probe.name} (${probe.kind}) never succeeded`,
          `no successful run on record (${checked}), max ${probe.max_age_h} h${error}`,
        ),
      ];
    }
    const age = probe.age_s === null ? "no backup found" : `last ${formatAge(probe.age_s)} before collection`;
    const late = probe.age_s === null ? 0 : probe.age_s / 3600 - probe.max_age_h;
    return [
      finding(
        p,
        probe.status === "failed" ? "backup_failed" : "backup_late",
        "warning",
        `backup ${probe.name} (${probe.kind}) ${probe.status}`,
        `${age}, max ${probe.max_age_h} h${error}`,
        late,
      ),
    ];
  });
}

export function updateFindings(p: Provenance, data: UpdatesData): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  if (data.pending.ok) {
    const security = data.pending.packages.filter((u) => u.kind === "security");
    if (security.length > 0) {
      const names = [...new Set(security.map((u) => u.name))];
      out.push(
        finding(
          p,
          "security_updates",
          "warning",
          `${security.length} security updates pending`,
          `${names.slice(0, 10).join(", ")}${names.length > 10 ? ", ..." : ""}`,
          security.length,
        ),
      );
    }
    const others = data.pending.packages.length - security.length;
    if (others > 0)
      out.push(
        finding(p, "other_updates", "info", `${others} other updates pending`, `${data.manager}`, others),
      );
  } else {
    out.push(
      finding(
        p,
        "source_unreadable",
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
        "reboot_required",
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
        "outdated_images",
        "info",
        `${newer.length} containers run an outdated image`,
        newer.map((c) => `${c.container} (${c.image})`).join(", "),
        newer.length,
      ),
    );
  }
  return out;
}

export function systemFindings(p: Provenance, data: SystemData, t: McpConfig["thresholds"]): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  if (data.cpu !== null && data.cpu.usage_pct >= t.cpuPct) {
    out.push(
      finding(
        p,
        "cpu",
        "warning",
        `cpu ${data.cpu.usage_pct.toFixed(0)}%`,
        `threshold ${t.cpuPct}%; load ${data.load.load_1}/${data.load.load_5}/${data.load.load_15}`,
        data.cpu.usage_pct,
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
        "memory",
        "warning",
        `memory ${memPct.toFixed(0)}% used`,
        `${gib(mem.available_bytes)} of ${gib(mem.total_bytes)} available; threshold ${t.memPct}%`,
        memPct,
      ),
    );
  }
  for (const m of data.mounts) {
    const usable = m.used_bytes + m.free_bytes;
    if (usable === 0) continue;
    const pct = (100 * m.used_bytes) / usable;
    if (pct >= t.diskPct) {
      out.push(
        finding(
          p,
          "disk_full",
          "warning",
          `disk ${m.mountpoint} ${pct.toFixed(0)}% full`,
          `${gib(m.free_bytes)} free of ${gib(m.size_bytes)} (${m.device}); threshold ${t.diskPct}%`,
          pct,
        ),
      );
    }
  }
  return out;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
