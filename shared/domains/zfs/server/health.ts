import type { ZfsData } from "@infrastructor/domains/zfs/schema.ts";
import { damagedFiles, namedFiles } from "@infrastructor/domains/zfs/server/tools/zfs/integrity.ts";
import {
  deviceErrors,
  largerCounts,
  poolErrors,
  poolFull,
  unreadStatusBlocks,
} from "@infrastructor/domains/zfs/views.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { formatBytes } from "@infrastructor/mcp/tools/common/domain-data.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { vdevNames } from "@infrastructor/mcp/tools/fleet/drive-match.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import {
  memberStateSeverity,
  permanentErrorsSeverity,
  poolStateSeverity,
  worstSeverity,
} from "@infrastructor/mcp/tools/fleet/severity.ts";

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

/** zfs: each pool's state, members, errors, scrub and capacity, from the payload. */
export const zfsHealth: DomainHealth<"zfs"> = {
  findings(answer, ctx) {
    return answer.data === null ? [] : zfsFindings(answer.provenance, answer.data, ctx.thresholds.diskPct);
  },
};
