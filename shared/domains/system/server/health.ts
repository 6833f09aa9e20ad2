import type { SystemData } from "@infrastructor/domains/system/schema.ts";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { McpConfig } from "@infrastructor/mcp/config.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import { fsFullFindings } from "./health-forecast.ts";

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
  for (const m of data.mounts) {
    // A filesystem out of inodes refuses new files with space left: the same threshold as its bytes.
    const inodes = m.inodes_used + m.inodes_free;
    if (inodes === 0) continue;
    const pct = (100 * m.inodes_used) / inodes;
    if (pct >= t.diskPct) {
      out.push(
        finding(
          p,
          "inodes_full",
          "warning",
          `inodes on ${m.mountpoint} ${pct.toFixed(0)}% used`,
          `${m.inodes_free} of ${m.inodes_total} inodes free (${m.device}); threshold ${t.diskPct}%`,
          pct,
        ),
      );
    }
  }
  out.push(...temperatureFindings(p, data));
  return out;
}

/**
 * A limit below this is no limit: some chips report 0 or a few degrees for an unset `temp*_max`, and
 * a rule on those would page about every sensor of the machine.
 */
export const PLAUSIBLE_LIMIT_C = 20;

/** A sensor at or over its own critical limit (critical) or its high limit (warning). */
function temperatureFindings(p: Provenance, data: SystemData): JudgedFinding[] {
  return data.temperatures.flatMap((s): JudgedFinding[] => {
    const over = (limit: number | null): limit is number =>
      limit !== null && limit >= PLAUSIBLE_LIMIT_C && s.temp_c >= limit;
    const critical = over(s.critical_c);
    if (!critical && !over(s.high_c)) return [];
    const limit = critical ? `critical ${s.critical_c} °C` : `high ${s.high_c} °C`;
    return [
      finding(
        p,
        "temperature",
        critical ? "critical" : "warning",
        `sensor ${s.sensor} ${s.temp_c.toFixed(0)} °C`,
        `at or over its ${limit}`,
        s.temp_c,
      ),
    ];
  });
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** system: cpu, memory and mounts at their thresholds; a mount full within N days at its growth (tables). */
export const systemHealth: DomainHealth<"system"> = {
  findings(answer, ctx) {
    const p = answer.provenance;
    const out: JudgedFinding[] = [];
    if (ctx.tables !== null) {
      const { history, window } = ctx.tables;
      const growth = history.growth.get(answer.device.id) ?? [];
      out.push(...fsFullFindings(p, growth, window.fullWithinDays, window.windowH));
    }
    if (answer.data !== null) out.push(...systemFindings(p, answer.data, ctx.thresholds));
    return out;
  },
};
