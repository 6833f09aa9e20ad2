import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { DomainHealth } from "@infrastructor/mcp/tools/fleet/domain-health.ts";
import { finding, type JudgedFinding } from "@infrastructor/mcp/tools/fleet/finding.ts";
import { groupBy } from "@infrastructor/shared/group-by.ts";
import type { ProblemContainer } from "./tools/containers/container-store.ts";

/** Restarting, dead and unhealthy containers (`looping`: names the restart-loop rule already covers). */
export function dockerFindings(
  p: Provenance,
  containers: readonly ProblemContainer[],
  looping: ReadonlySet<string> = new Set(),
): JudgedFinding[] {
  return containers.flatMap((c): JudgedFinding[] => {
    if (c.state === "restarting") {
      if (looping.has(c.name)) return [];
      return [
        finding(
          p,
          "container_restarting",
          "warning",
          `container ${c.name} restarting`,
          `${c.status}; ${c.restart_count} restarts; exit ${c.exit_code ?? "?"}`,
          c.restart_count,
        ),
      ];
    }
    if (c.state === "dead")
      return [finding(p, "container_dead", "warning", `container ${c.name} dead`, c.status)];
    if (c.health === "unhealthy") {
      return [
        finding(
          p,
          "container_unhealthy",
          "warning",
          `container ${c.name} unhealthy`,
          `health check failing; ${c.restart_count} restarts`,
          c.restart_count,
        ),
      ];
    }
    return [];
  });
}

/** A container of a compose project that has a container not running (health-history.ts reads them). */
export interface ComposeContainer {
  name: string;
  state: string;
  status: string;
  health: string;
  exit_code: number | null;
  project: string;
  service: string;
  depends_on: { service: string; condition: string | null }[];
}

/**
 * Within each compose project: a container that exited with a non-zero code while the rest of its
 * project runs (something broke, not a stop), and a container whose depends_on target is down (not
 * running, unhealthy where it must be healthy, or absent; a one-shot target that completed
 * successfully is where service_completed_successfully wants it).
 */
export function composeFindings(p: Provenance, listed: readonly ComposeContainer[]): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  const containers = listed.map((c) => ({ ...c, exit_code: exitCodeOf(c) }));
  const projects = groupBy(containers, (c) => c.project);
  for (const [project, members] of projects) {
    const running = members.filter((c) => c.state === "running");
    for (const c of members) {
      if (c.state === "exited" && c.exit_code !== null && c.exit_code !== 0 && running.length > 0) {
        out.push(
          finding(
            p,
            "container_exited",
            "warning",
            `container ${c.name} exited with code ${c.exit_code}`,
            `${c.status}; compose project ${project} is otherwise up (${running.length} of ${members.length} containers running: ${running.map((r) => r.name).join(", ")})`,
            running.length,
          ),
        );
      }
      for (const dep of c.depends_on) {
        const why = targetDown(dep, members);
        if (why === null) continue;
        out.push(
          finding(
            p,
            "depends_on_down",
            "warning",
            `container ${c.name} depends on ${dep.service}, which is down`,
            `project ${project}: ${c.service} depends_on ${dep.service}${dep.condition ? ` (${dep.condition})` : ""}; ${why}; ${c.name} is ${c.state}`,
          ),
        );
      }
    }
  }
  return out;
}

/**
 * The exit code from inspect, or else from the listing's status (`Exited (137) 2 hours ago`): a
 * container whose inspect failed still says how it ended.
 */
function exitCodeOf(c: ComposeContainer): number | null {
  if (c.exit_code !== null || c.state !== "exited") return c.exit_code;
  const m = c.status.match(/^Exited \((-?\d+)\)/);
  return m?.[1] === undefined ? null : Number(m[1]);
}

function targetDown(
  dep: ComposeContainer["depends_on"][number],
  members: readonly ComposeContainer[],
): string | null {
  const targets = members.filter((m) => m.service === dep.service);
  if (targets.length === 0) return `no ${dep.service} container exists`;
  if (dep.condition === "service_completed_successfully") {
    const done = targets.some((t) => t.state === "exited" && t.exit_code === 0);
    return done || targets.some((t) => t.state === "running") ? null : describe(targets);
  }
  const up = targets.filter((t) => t.state === "running");
  if (up.length === 0) return describe(targets);
  if (dep.condition === "service_healthy" && up.every((t) => t.health === "unhealthy"))
    return `${up.map((t) => t.name).join(", ")} unhealthy`;
  return null;
}

function describe(targets: readonly ComposeContainer[]): string {
  return targets
    .map(
      (t) =>
        `${t.name} ${t.state}${t.exit_code !== null && t.state === "exited" ? ` (code ${t.exit_code})` : ""}`,
    )
    .join(", ");
}

/** One container's restart count over the window: how much it rose and between which counts. */
export interface RestartRise {
  name: string;
  first_count: number;
  last_count: number;
  rises: number;
  samples: number;
  first_at: Date;
  last_at: Date;
  state: string | null;
  exit_code: number | null;
}

/** A restart count rising by at least this much within the window is a loop, not a one-off. */
export const RESTART_LOOP_MIN_RISE = 3;

export function restartLoopFindings(p: Provenance, rises: readonly RestartRise[]): JudgedFinding[] {
  return rises
    .filter((r) => r.rises >= RESTART_LOOP_MIN_RISE)
    .map((r) => {
      const hours = (r.last_at.getTime() - r.first_at.getTime()) / 3_600_000;
      const now =
        r.state === null ? "" : `; now ${r.state}${r.exit_code === null ? "" : `, last exit ${r.exit_code}`}`;
      return finding(
        p,
        "restart_loop",
        "warning",
        `container ${r.name} restart loop: ${r.rises} restarts`,
        `restart count ${r.first_count} -> ${r.last_count} (+${r.rises}) over ${hours.toFixed(1)} h, ${r.samples} samples${now}`,
        r.rises,
      );
    });
}

/**
 * docker: containers unhealthy, exited non-zero or restarting; with the tables, restart loops and
 * troubled compose projects. The history rules hold for a stored answer (a live one has no history),
 * and not where docker is now unavailable (its last containers stay stored but run nowhere).
 */
export const dockerHealth: DomainHealth<"docker"> = {
  findings(answer, ctx) {
    const p = answer.provenance;
    if (ctx.tables === null) return answer.data === null ? [] : dockerFindings(p, answer.data.containers);
    const { history } = ctx.tables;
    const id = answer.device.id;
    const out: JudgedFinding[] = [];
    if (p.source === "stored" && answer.status !== "unavailable") {
      out.push(...restartLoopFindings(p, history.restarts.get(id) ?? []));
      out.push(...composeFindings(p, history.compose.get(id) ?? []));
    }
    const looping = new Set((history.restarts.get(id) ?? []).map((r) => r.name));
    if (answer.deferred) out.push(...dockerFindings(p, history.containers.get(id) ?? [], looping));
    else if (answer.data !== null) out.push(...dockerFindings(p, answer.data.containers, looping));
    return out;
  },
};
