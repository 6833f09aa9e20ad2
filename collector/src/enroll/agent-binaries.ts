import { stat } from "node:fs/promises";
import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

export const AGENT_ARCHES = ["x64", "arm64"] as const;
export type AgentArch = (typeof AGENT_ARCHES)[number];

export interface AgentBinary {
  path: string;
  name: string;
  sizeBytes: number;
  sha256: string;
}

/**
 * The compiled agents `bun run build:agent` leaves in a directory (dist/infrastructor-agent-linux-<arch>).
 * Each file's SHA-256 is computed once per version of the file (size, mtime, inode), streamed, so a
 * 100 MiB binary is neither read into memory nor hashed on every download.
 */
export class AgentBinaries {
  readonly #dir: string;
  readonly #hashes = new Map<string, { key: string; sha256: string }>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async find(arch: AgentArch): Promise<AgentBinary> {
    const name = `infrastructor-agent-linux-${arch}`;
    const path = join(this.#dir, name);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        `no agent binary for linux-${arch} on this collector (${name} in its AGENT_DIST_DIR): run bun run build:agent`,
      );
    }
    const key = `${info.size}:${info.mtimeMs}:${info.ino}`;
    const known = this.#hashes.get(arch);
    if (known?.key === key) return { path, name, sizeBytes: info.size, sha256: known.sha256 };
    const sha256 = await sha256File(path);
    this.#hashes.set(arch, { key, sha256 });
    return { path, name, sizeBytes: info.size, sha256 };
  }
}

/** Streams a file through SHA-256 (the agent binaries are ~100 MiB). */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest("hex");
}
