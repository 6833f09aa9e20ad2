import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

/**
 * Background processes of the local stack: started in a session of their own (setsid) so they outlive
 * `bun run up`, tracked by pid files so `bun run down` can stop them.
 */
export function startDaemon(
  argv: string[],
  options: { pidFile: string; logFile: string; env?: Record<string, string> },
): number {
  const proc = Bun.spawn(["setsid", ...argv], {
    stdin: "ignore",
    stdout: Bun.file(options.logFile),
    stderr: Bun.file(options.logFile),
    env: { ...process.env, ...options.env },
  });
  proc.unref();
  writeFileSync(options.pidFile, `${proc.pid}\n`);
  return proc.pid;
}

export function runningPid(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Removes the pid file. */
export async function stopDaemon(pidFile: string, graceMs = 10_000): Promise<boolean> {
  const pid = runningPid(pidFile);
  rmSync(pidFile, { force: true });
  if (pid === null) return false;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await Bun.sleep(100);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // ESRCH: it exited just as the grace ran out.
  }
  return true;
}
