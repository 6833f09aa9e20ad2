import { describe, expect, test } from "bun:test";
import { parseContainers } from "../../../agent/parse-containers.ts";
import { mergeDetails, parseInspect } from "../../../agent/parse-inspect.ts";
import { fixture } from "../../../agent/testing/captures.ts";
import type { DockerData } from "../../../schema.ts";
import { serviceDependencies } from "./dependencies.ts";

/**
 * Legacy links (podman has no `--link`, so the container tests against podman cannot make one): the
 * docker collector's parsers over the handwritten compose list and the web container's inspect with
 * links added, then the dependencies in both directions.
 */
async function shop(): Promise<DockerData> {
  const [web, db] = parseContainers(await fixture("handwritten-compose/containers.json"));
  if (web === undefined || db === undefined) throw new Error("fixture lists two containers");
  const details = parseInspect(await fixture("handwritten-links/inspect.json"));
  const containers = [mergeDetails(web, details), db].map((c) => ({
    ...c,
    stats: null,
    inspect_error: null,
  }));
  return { containers, networks: { ok: true, items: [] } };
}

describe("serviceDependencies: legacy links", () => {
  test("the linking container depends on each linked one; a link to a missing container says so", async () => {
    const data = await shop();
    const web = data.containers.find((c) => c.name === "shop-web-1");
    if (web === undefined) throw new Error("no web");
    const links = serviceDependencies(data, web).depends_on.filter((e) => e.kind === "link");
    expect(links.map((e) => [e.container, e.state])).toEqual([
      ["shop-db-1", "exited"],
      [null, null],
      ["shop-db-1", "exited"],
    ]);
    expect(links[0]?.reason).toBe('legacy link: reaches shop-db-1 as "database"');
    expect(links[1]?.reason).toContain("legacy-cache");
    expect(links[1]?.reason).toContain("no such container");
  });

  test("the linked container has the linking one among its dependents", async () => {
    const data = await shop();
    const db = data.containers.find((c) => c.name === "shop-db-1");
    if (db === undefined) throw new Error("no db");
    const dependents = serviceDependencies(data, db).dependents.filter((e) => e.kind === "link");
    expect(dependents.map((e) => [e.container, e.reason])).toEqual([
      ["shop-web-1", 'legacy link: shop-web-1 reaches shop-db-1 as "database"'],
      ["shop-web-1", 'legacy link: shop-web-1 reaches shop-db-1 as "db"'],
    ]);
  });
});
