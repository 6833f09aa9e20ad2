import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { sha256File } from "../../../collector/src/enroll/agent-binaries.ts";
import type { AgentArch } from "./host-facts.ts";

export interface AgentBinary {
  arch: AgentArch;
  path: string;
  sha256: string;
  /** Whether this run compiled it (false: an up-to-date build was reused). */
  built: boolean;
}

export interface AgentBinariesOptions {
  /** Where `infrastructor-agent-linux-<arch>` lives (the repository's dist/ by default). */
  distDir: string;
  /**
   * The checkout to build from with `bun agent/scripts/build.ts <arch>` when the binary is missing or
   * older than its sources; null: use the directory's binaries as they are (prepared elsewhere).
   */
  repoRoot: string | null;
}

/** What the agent binary is made of: a change to any of these makes a build stale. */
const SOURCES = ["agent/src", "agent/scripts", "shared/src", "package.json", "bun.lock"];

/** Pure: build when there is no binary or a source is newer than it. */
export function isStale(binaryMtimeMs: number | null, newestSourceMtimeMs: number): boolean {
  return binaryMtimeMs === null || newestSourceMtimeMs > binaryMtimeMs;
}

/**
 * The compiled agent per architecture, built at most once per run (hosts of the same arch deployed at
 * once share one build) and reused when it is newer than every source file.
 */
export class AgentBinaries {
  private readonly pending = new Map<AgentArch, Promise<AgentBinary>>();

  constructor(private readonly options: AgentBinariesOptions) {}

  get(arch: AgentArch): Promise<AgentBinary> {
    let found = this.pending.get(arch);
    if (found === undefined) {
      found = this.resolve(arch);
      this.pending.set(arch, found);
      found.catch(() => this.pending.delete(arch)); // a failed build may be retried by the next host
    }
    return found;
  }

  private async resolve(arch: AgentArch): Promise<AgentBinary> {
    const path = join(this.options.distDir, `infrastructor-agent-linux-${arch}`);
    const mtime = await stat(path).then(
      (s) => (s.isFile() ? s.mtimeMs : null),
      () => null,
    );
    const root = this.options.repoRoot;
    let built = false;
    if (root !== null && isStale(mtime, await newestMtime(SOURCES.map((s) => join(root, s))))) {
      await build(root, arch);
      built = true;
    } else if (mtime === null) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        `no agent binary for linux-${arch}: ${path} is missing (bun run build:agent ${arch})`,
        { details: { arch, path } },
      );
    }
    return { arch, path, sha256: await sha256File(path), built };
  }
}

async function build(root: string, arch: AgentArch): Promise<void> {
  const proc = Bun.spawn([process.execPath, join(root, "agent/scripts/build.ts"), arch], {
    cwd: root,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) {
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `building the agent for linux-${arch} failed: ${err || out}`,
      {
        details: { arch, exit_code: code },
      },
    );
  }
}

/** The newest mtime among files under the given paths (missing paths count as nothing). */
async function newestMtime(paths: readonly string[]): Promise<number> {
  let newest = 0;
  for (const path of paths) {
    const s = await stat(path).catch(() => null);
    if (s === null) continue;
    if (s.isFile()) newest = Math.max(newest, s.mtimeMs);
    else if (s.isDirectory()) {
      const entries = await readdir(path, { recursive: true, withFileTypes: true });
      for (const e of entries) {
        if (!e.isFile()) continue;
        const m = (await stat(join(e.parentPath, e.name)).catch(() => null))?.mtimeMs ?? 0;
        newest = Math.max(newest, m);
      }
    }
  }
  return newest;
}
