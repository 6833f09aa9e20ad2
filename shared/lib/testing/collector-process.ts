import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { freePort } from "../../../scripts/lib/free-port.ts";
import { captureOutput } from "./captured-output.ts";
import { waitFor } from "./wait.ts";

const repo = resolve(import.meta.dir, "../../..");
export const TEST_API_TOKEN = "test-token-0123456789abcdef";

export interface CollectorProcess {
  port: number;
  /** http://127.0.0.1:<port>, or https:// when started with COLLECTOR_TLS=on. */
  url: string;
  proc: Subprocess;
  output(): string;
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Whether the consumer has nothing pending and nothing unacked: all that was published is handled. */
  drained(): Promise<boolean>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number>;
  kill(): Promise<void>;
}

/**
 * Runs the real collector (`bun collector/src/main.ts`) as a child process, as production does. Plain
 * HTTP unless `env` says COLLECTOR_TLS=on (with its certificate); then `ca` (PEM) verifies it.
 */
export async function spawnCollector(
  env: Record<string, string>,
  options: { ca?: string } = {},
): Promise<CollectorProcess> {
  const port = env.COLLECTOR_PORT === undefined ? freePort() : Number(env.COLLECTOR_PORT);
  const tls = env.COLLECTOR_TLS === "on";
  const url = `${tls ? "https" : "http"}://${env.COLLECTOR_HOST ?? "127.0.0.1"}:${port}`;
  // PROFILE_COLLECTOR=dir profiles the collector (e.g. for bench/ingest): a CPU profile lands in dir on exit.
  const profile = process.env.PROFILE_COLLECTOR
    ? ["--cpu-prof-md", `--cpu-prof-dir=${process.env.PROFILE_COLLECTOR}`]
    : [];
  const proc = Bun.spawn(["bun", ...profile, join(repo, "collector/src/main.ts")], {
    env: {
      ...process.env,
      COLLECTOR_API_TOKEN: TEST_API_TOKEN,
      COLLECTOR_HOST: "127.0.0.1",
      COLLECTOR_PORT: String(port),
      LOG_LEVEL: "warn",
      COLLECTOR_TLS: "off",
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = captureOutput(proc);

  const health = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${url}/health`, options.ca === undefined ? {} : { tls: { ca: options.ca } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  try {
    await waitFor(
      "collector health",
      async () => {
        if (proc.exitCode !== null) throw new Error(`collector exited ${proc.exitCode}: ${output()}`);
        return (await health()).status === 200;
      },
      60_000,
    );
  } catch (err) {
    proc.kill("SIGKILL"); // never leave a half-started collector behind a failed test
    throw new Error(`${err instanceof Error ? err.message : err}\n${output()}`);
  }
  return {
    port,
    url,
    proc,
    output,
    health,
    async drained(): Promise<boolean> {
      const c = (await health()).body.consumer as { pending: number; ack_pending: number } | null;
      return c?.pending === 0 && c.ack_pending === 0;
    },
    async stop(): Promise<number> {
      proc.kill("SIGTERM");
      return await proc.exited;
    },
    async kill(): Promise<void> {
      proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}
