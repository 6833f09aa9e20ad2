import { expect, test } from "bun:test";
import { configFromObject } from "@infrastructor/agent/config.ts";
import { AGENT_DOMAINS } from "@infrastructor/domains/agent.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { DOMAINS, type Domain } from "./domains.ts";
import { AppError, ErrorCode } from "./errors.ts";

/** Building a collector does no I/O; this executor proves it by refusing everything. */
const NO_IO: Executor = {
  kind: "local",
  run: refuse,
  readFile: refuse,
  listDir: refuse,
  statfs: refuse,
};
function refuse(): never {
  throw new AppError(ErrorCode.INTERNAL, "no I/O while building a collector");
}

test("every domain is declared under its own name, in the wire and the agent registries alike", () => {
  for (const [name, spec] of Object.entries(DOMAINS)) expect(spec.name as string).toBe(name);
  expect(Object.keys(AGENT_DOMAINS).sort()).toEqual(Object.keys(DOMAINS).sort());
  for (const [name, agent] of Object.entries(AGENT_DOMAINS)) expect(agent.domain as string).toBe(name);
});

test("each agent collector polls at its domain's declared interval (what staleness is judged by)", () => {
  const config = configFromObject({ host: "defaults" });
  for (const domain of Object.keys(DOMAINS) as Domain[]) {
    const collector = AGENT_DOMAINS[domain].build(config, NO_IO);
    expect({ domain, interval: collector.defaultIntervalMs }).toEqual({
      domain,
      interval: DOMAINS[domain].intervalMs,
    });
  }
});
