import { expect, test } from "bun:test";
import { join } from "node:path";
import { EnvelopeSchema } from "@infrastructor/shared/envelope.ts";

const root = join(import.meta.dir, "../..");

test("bun build --compile yields a single x64 binary that runs --once on this machine", async () => {
  const build = Bun.spawnSync(["bun", join(root, "agent/scripts/build.ts"), "x64"], { cwd: root });
  expect(build.exitCode).toBe(0);
  const binary = join(root, "dist/infrastructor-agent-linux-x64");
  const run = Bun.spawnSync([binary, "--once"], {
    env: { PATH: process.env.PATH ?? "", INFRA_HOST: "compiled-test", INFRA_AGENT_CONFIG: "" },
    stderr: "pipe",
  });
  expect(run.exitCode).toBe(0);
  const envelopes = JSON.parse(run.stdout.toString()) as unknown[];
  expect(envelopes.length).toBeGreaterThan(0);
  const system = envelopes.map((e) => EnvelopeSchema.parse(e)).find((e) => e.domain === "system");
  expect(system?.host).toBe("compiled-test");
  expect(system?.data).not.toBeNull();
}, 120_000);
