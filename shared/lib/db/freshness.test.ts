import { expect, test } from "bun:test";
import { Freshness, parseStaleAfter, StalenessEnvSchema, stalenessFromEnv } from "./freshness.ts";

test("parseStaleAfter: DOMAIN=DURATION pairs; an unknown domain or a bad duration names the variable", () => {
  expect(parseStaleAfter("docker=2m, system=45s,")).toEqual({ docker: 120_000, system: 45_000 });
  expect(parseStaleAfter("")).toEqual({});
  for (const bad of ["gpu=1m", "docker", "docker=soon"]) {
    expect(() => parseStaleAfter(bad)).toThrow(/^MCP_STALE_AFTER: .* is not DOMAIN=DURATION/);
  }
});

test("the staleness variables: factor x interval unless a domain has its own age", () => {
  const freshness = new Freshness(
    stalenessFromEnv(StalenessEnvSchema.parse({ MCP_STALE_FACTOR: "2", MCP_STALE_AFTER: "docker=1h" })),
  );
  expect(freshness.staleAfterMs("docker")).toBe(3_600_000);
  expect(freshness.staleAfterMs("system")).toBe(2 * freshness.intervalMs.system);
  expect(stalenessFromEnv(StalenessEnvSchema.parse({}))).toEqual({ staleFactor: 3, staleAfterMs: {} });
});
