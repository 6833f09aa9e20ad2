import { parseJson } from "@infrastructor/lib/collect/parse-json.ts";
import type { DockerStats } from "../schema.ts";
import { type Stats, StatsShape } from "./api-shapes.ts";

const SOURCE = "GET /containers/{id}/stats";

/**
 * Above this a memory limit means "none": cgroup v1 reports 2^63 - 4096 (or more) for an unlimited
 * container, and such numbers do not even fit the database's bigint.
 */
const NO_LIMIT_BYTES = 2 ** 62;

/** The CPU counters of one reading (ns), kept to compute cpu % against a later reading. */
export interface CpuCounters {
  total_ns: number;
  system_ns: number;
  online_cpus: number;
}

export interface ParsedStats {
  stats: DockerStats;
  /** Null when the reading has no system counter (trimmed captures). */
  cpu: CpuCounters | null;
}

/**
 * `GET /containers/{id}/stats?stream=false`, computed as `docker stats` does. cpu % needs two readings:
 * docker puts the previous one in precpu_stats; podman leaves it empty, so the caller may pass the
 * collector's own previous reading. `usage_in_usermode` is never read: podman wraps it around.
 */
export function parseStats(text: string, previous: CpuCounters | null = null): ParsedStats {
  const s = parseJson(SOURCE, text, StatsShape);
  const cpu = cpuCounters(s.cpu_stats);
  const pre = cpuCounters(s.precpu_stats);
  const base = pre !== null && pre.system_ns > 0 ? pre : previous;
  const limit = s.memory_stats?.limit;
  return {
    stats: {
      ok: true,
      cpu_pct: cpu !== null && base !== null ? cpuPercent(base, cpu) : null,
      mem_used_bytes: memoryUsed(s.memory_stats),
      mem_limit_bytes:
        limit !== null && limit !== undefined && limit > 0 && limit < NO_LIMIT_BYTES ? limit : null,
      ...networkBytes(s.networks),
      ...blockBytes(s.blkio_stats?.io_service_bytes_recursive),
      pids: count(s.pids_stats?.current),
    },
    cpu,
  };
}

function cpuCounters(c: Stats["cpu_stats"]): CpuCounters | null {
  const total = c?.cpu_usage?.total_usage;
  const system = c?.system_cpu_usage;
  if (typeof total !== "number" || typeof system !== "number") return null;
  // online_cpus is absent before API 1.27; the per-CPU list's length is what docker falls back to.
  const online = c?.online_cpus || c?.cpu_usage?.percpu_usage?.length || 1;
  return { total_ns: total, system_ns: system, online_cpus: online };
}

/** Share of the host's CPU time the container used between two readings, times the CPUs it may use. */
export function cpuPercent(before: CpuCounters, after: CpuCounters): number | null {
  const cpuDelta = after.total_ns - before.total_ns;
  const systemDelta = after.system_ns - before.system_ns;
  // A restarted container (counters reset) or a reading from the same instant gives no figure.
  if (systemDelta <= 0 || cpuDelta < 0) return null;
  return (cpuDelta / systemDelta) * after.online_cpus * 100;
}

/**
 * Usage minus the page cache the kernel can drop, as the docker CLI does: total_inactive_file
 * (cgroup v1), inactive_file (cgroup v2), or cache (engines before 19.03).
 */
function memoryUsed(m: Stats["memory_stats"]): number | null {
  const usage = m?.usage;
  if (typeof usage !== "number") return null;
  const stats = m?.stats ?? {};
  for (const key of ["total_inactive_file", "inactive_file", "cache"]) {
    const v = stats[key];
    if (typeof v === "number" && v <= usage) return count(usage - v);
  }
  return count(usage);
}

function networkBytes(networks: Stats["networks"]): Pick<DockerStats, "net_rx_bytes" | "net_tx_bytes"> {
  if (networks === null || networks === undefined) return { net_rx_bytes: null, net_tx_bytes: null };
  const all = Object.values(networks);
  return {
    net_rx_bytes: count(all.reduce((sum, n) => sum + (n.rx_bytes ?? 0), 0)),
    net_tx_bytes: count(all.reduce((sum, n) => sum + (n.tx_bytes ?? 0), 0)),
  };
}

/** Entries are per device and op; cgroup v1 says "Read", cgroup v2 "read". Trimmed entries lack a value. */
function blockBytes(
  entries: { op?: string | null; value?: number | null }[] | null | undefined,
): Pick<DockerStats, "block_read_bytes" | "block_write_bytes"> {
  if (entries === null || entries === undefined) return { block_read_bytes: null, block_write_bytes: null };
  const sum = (op: string): number | null =>
    count(entries.filter((e) => e.op?.toLowerCase() === op).reduce((t, e) => t + (e.value ?? 0), 0));
  return { block_read_bytes: sum("read"), block_write_bytes: sum("write") };
}

/** A non-negative integer, or null for anything an engine got wrong (negative, fractional, huge). */
function count(value: number | null | undefined): number | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return null;
  const n = Math.trunc(value);
  return n <= Number.MAX_SAFE_INTEGER ? n : null;
}
