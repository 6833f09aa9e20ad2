import { describe, expect, test } from "bun:test";
import { CONTAINER_SEVERITY, containerLifecycle, containerSeverity, HEALTHY_RANK } from "./views.ts";

describe("containerSeverity", () => {
  test("worst first: failing, stopped by a failure, not running, then running and fine", () => {
    const at = (state: string, health = "none", exit_code: number | null = null): number =>
      containerSeverity({ state, health, exit_code });
    expect([
      at("running", "unhealthy"),
      at("restarting"),
      at("dead", "none", 137),
      at("exited", "none", 1),
      at("exited", "none", 0),
      at("created"),
      at("paused", "healthy"),
      at("running", "starting"),
      at("running", "healthy"),
    ]).toEqual([0, 0, 0, 1, 2, 2, 2, HEALTHY_RANK, HEALTHY_RANK]);
  });

  test("the rule list is in rank order, every rank below the healthy one", () => {
    const ranks = CONTAINER_SEVERITY.map((r) => r.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks.every((r) => r < HEALTHY_RANK)).toBe(true);
  });
});

test("containerLifecycle: the engine's state fields, nothing else", () => {
  const c = {
    state: "exited" as const,
    status: "Exited (1) 2 hours ago",
    health: "none" as const,
    exit_code: 1,
    restart_count: 4,
    created_at: "2026-11-01T00:00:00Z",
    started_at: "2026-11-01T00:00:01Z",
    finished_at: "2026-11-01T02:00:00Z",
    name: "web",
  };
  const { name: _name, ...lifecycle } = c;
  expect(containerLifecycle(c)).toEqual(lifecycle);
});
