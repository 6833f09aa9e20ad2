import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const repo = resolve(import.meta.dir, "../..");

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
  let out = "";
  const collect = async (stream: ReadableStream<Uint8Array>): Promise<void> => {
    for await (const chunk of stream) out += new TextDecoder().decode(chunk);
  };
  void collect(proc.stdout as ReadableStream<Uint8Array>);
  void collect(proc.stderr as ReadableStream<Uint8Array>);
  return {
    proc,
    output: () => out,
    async stop(): Promise<number> {
      proc.kill("SIGTERM");
      return await proc.exited;
    },
  };
}
