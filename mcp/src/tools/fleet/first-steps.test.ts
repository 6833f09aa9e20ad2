import { expect, test } from "bun:test";
import { FIRST_STEPS, firstStep } from "./first-steps.ts";
import { RULES } from "./severity.ts";

test("every rule of the health check has a first step, and nothing else does", () => {
  expect(Object.keys(FIRST_STEPS).sort()).toEqual(Object.keys(RULES).sort());
  for (const step of Object.values(FIRST_STEPS)) expect(step.length).toBeGreaterThan(20);
  expect(firstStep("host_down")).toContain("infrastructor-agent");
  expect(firstStep("no_such_rule")).toBe("Look at the evidence on the host.");
});
