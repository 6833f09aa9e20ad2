import type { DockerContainer } from "./schema.ts";

/**
 * Pure views over the `docker` domain's data, the one definition the ingest writer, the MCP tools and
 * the fleet rules share.
 */

/** A container's lifecycle as the engine reports it: what docker_containers stores and the details show. */
export type ContainerLifecycle = Pick<
  DockerContainer,
  "state" | "status" | "health" | "exit_code" | "restart_count" | "created_at" | "started_at" | "finished_at"
>;

export function containerLifecycle(c: ContainerLifecycle): ContainerLifecycle {
  return {
    state: c.state,
    status: c.status,
    health: c.health,
    exit_code: c.exit_code,
    restart_count: c.restart_count,
    created_at: c.created_at,
    started_at: c.started_at,
    finished_at: c.finished_at,
  };
}

/** What a severity rule looks at: a container, a stored row or a list row alike. */
export interface SeverityFacts {
  state: string;
  health: string;
  exit_code: number | null;
}

/**
 * One way a container can match a rank: every field given must hold (states/healths: one of them;
 * notStates: none of them; failedExit: an exit code other than 0).
 */
export interface SeverityCondition {
  states?: readonly string[];
  notStates?: readonly string[];
  healths?: readonly string[];
  failedExit?: true;
}

/**
 * Worst first: a container takes the rank of the first rule one of whose conditions it meets, else
 * HEALTHY_RANK. The one list behind list_containers' order, in TypeScript (`containerSeverity`) and in
 * SQL (mcp container-store builds its CASE from it).
 */
export const CONTAINER_SEVERITY: readonly { rank: number; any: readonly SeverityCondition[] }[] = [
  // Failing: its healthcheck fails, or it cannot stay up.
  { rank: 0, any: [{ healths: ["unhealthy"] }, { states: ["restarting", "dead"] }] },
  // Stopped by a failure.
  { rank: 1, any: [{ states: ["exited"], failedExit: true }] },
  // Not running for another reason (created, paused, exited 0...).
  { rank: 2, any: [{ notStates: ["running"] }] },
];
/** Running and not failing its healthcheck: most containers, listed last. */
export const HEALTHY_RANK = 3;

export function meets(c: SeverityFacts, cond: SeverityCondition): boolean {
  return (
    (cond.states === undefined || cond.states.includes(c.state)) &&
    (cond.notStates === undefined || !cond.notStates.includes(c.state)) &&
    (cond.healths === undefined || cond.healths.includes(c.health)) &&
    (cond.failedExit === undefined || (c.exit_code !== null && c.exit_code !== 0))
  );
}

export function containerSeverity(c: SeverityFacts): number {
  const rule = CONTAINER_SEVERITY.find((r) => r.any.some((cond) => meets(c, cond)));
  return rule?.rank ?? HEALTHY_RANK;
}
