import { describe, expect, test } from "bun:test";
import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import { parseContainers } from "../agent/parse-containers.ts";
import { fixture } from "../agent/testing/captures.ts";
import type { DockerContainer } from "../schema.ts";
import { type ComposeContainer, composeFindings, type RestartRise, restartLoopFindings } from "./health.ts";

const P: Provenance = {
  device: "nas",
  domain: "docker",
  source: "stored",
  observed_at: null,
  age_s: null,
  stale: false,
};

function composeOf(c: Omit<DockerContainer, "stats" | "inspect_error">): ComposeContainer {
  if (c.compose === null) throw new Error(`${c.name} is no compose container`);
  return {
    name: c.name,
    state: c.state,
    status: c.status,
    health: c.health,
    exit_code: c.exit_code,
    project: c.compose.project,
    service: c.compose.service,
    depends_on: c.compose.depends_on,
  };
}

/** The compose fixture: shop-web-1 running (depends on db healthy, cache started), shop-db-1 exited 137. */
async function shop(): Promise<ComposeContainer[]> {
  return parseContainers(await fixture("handwritten-compose/containers.json")).map(composeOf);
}

describe("composeFindings", () => {
  test("an exited db in an up project, and web's depends_on targets down (db exited, cache absent)", async () => {
    const found = composeFindings(P, await shop());
    expect(found.map((f) => [f.rule, f.what])).toEqual([
      ["depends_on_down", "container shop-web-1 depends on db, which is down"],
      ["depends_on_down", "container shop-web-1 depends on cache, which is down"],
      ["container_exited", "container shop-db-1 exited with code 137"],
    ]);
    expect(found[0]?.evidence).toBe(
      "project shop: web depends_on db (service_healthy); shop-db-1 exited (code 137); shop-web-1 is running",
    );
    expect(found[1]?.evidence).toContain("no cache container exists");
    expect(found[2]?.evidence).toBe(
      "Exited (137) 2 hours ago; compose project shop is otherwise up (1 of 2 containers running: shop-web-1)",
    );
  });

  test("nothing when the project is all down, the exit is 0, or the dependency is up as asked", async () => {
    const [web, db] = await shop();
    if (web === undefined || db === undefined) throw new Error("fixture changed");
    const stopped = { ...web, state: "exited", status: "Exited (0) 1 minute ago", depends_on: [] };
    expect(composeFindings(P, [stopped, db])).toEqual([]);
    const dbUp = { ...db, state: "running", exit_code: 0, health: "healthy" };
    const webOnDb = { ...web, depends_on: web.depends_on.filter((d) => d.service === "db") };
    expect(composeFindings(P, [webOnDb, dbUp])).toEqual([]);
    // Unhealthy breaks service_healthy only; a one-shot that completed is what it should be.
    expect(composeFindings(P, [webOnDb, { ...dbUp, health: "unhealthy" }]).map((f) => f.rule)).toEqual([
      "depends_on_down",
    ]);
    const migrate = { ...db, service: "migrate", name: "shop-migrate-1", status: "Exited (0) 1 hour ago" };
    const webOnMigrate = {
      ...web,
      depends_on: [{ service: "migrate", condition: "service_completed_successfully" }],
    };
    expect(composeFindings(P, [webOnMigrate, migrate])).toEqual([]);
    const failed = composeFindings(P, [webOnMigrate, { ...migrate, status: "Exited (2) 1 hour ago" }]);
    expect(failed.map((f) => f.rule).sort()).toEqual(["container_exited", "depends_on_down"]);
  });
});

describe("restartLoopFindings", () => {
  const rise = (rises: number): RestartRise => ({
    name: "shop-worker-1",
    first_count: 2,
    last_count: 2 + rises,
    rises,
    samples: 4,
    first_at: new Date("2026-12-02T06:00:00Z"),
    last_at: new Date("2026-12-02T09:00:00Z"),
    state: "restarting",
    exit_code: 1,
  });
  test("three restarts or more within the window is a loop, with the counts and the span", () => {
    expect(restartLoopFindings(P, [rise(2)])).toEqual([]);
    const [f] = restartLoopFindings(P, [rise(7)]);
    expect(f).toMatchObject({
      severity: "warning",
      impact: "service",
      rule: "restart_loop",
      magnitude: 7,
      what: "container shop-worker-1 restart loop: 7 restarts",
      evidence: "restart count 2 -> 9 (+7) over 3.0 h, 4 samples; now restarting, last exit 1",
    });
  });
});
