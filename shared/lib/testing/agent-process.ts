import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { captureOutput } from "./captured-output.ts";

const repo = resolve(import.meta.dir, "../../..");

export interface AgentProcess {
  proc: Subprocess;
  output(): string;
  stop(): Promise<number>;
}

/** Runs the real agent (`bun agent/src/main.ts`) with configuration from the environment. */
export function spawnAgent(env: Record<string, string>): AgentProcess {
  const proc = Bun.spawn(["bun", join(repo, "agent/src/main.ts")], {
    env: { ...process.env, INFRA_LOG_LEVEL: "warn", INFRA_AGENT_CONFIG: "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = captureOutput(proc);
  return {
    proc,
    output,
    async stop(): Promise<number> {
      proc.kill("SIGTERM");
      return await proc.exited;
    },
  };
}
