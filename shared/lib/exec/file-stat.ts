import { stat } from "node:fs/promises";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { FileStat } from "./executor.ts";

/** stat(2) of a local path, following symlinks, as the Executor reports it. */
export async function statLocal(path: string): Promise<FileStat> {
  try {
    const s = await stat(path);
    const type = s.isFile() ? "file" : s.isDirectory() ? "directory" : "other";
    return { type, size_bytes: s.size, mtime_ms: s.mtimeMs };
  } catch (err) {
    const errno = (err as { code?: unknown } | null)?.code;
    const code = errno === "ENOENT" || errno === "ENOTDIR" ? ErrorCode.NOT_FOUND : ErrorCode.READ_FAILED;
    const reason = typeof errno === "string" ? errno : String(err);
    throw new AppError(code, `stat ${path}: ${reason}`, { cause: err, details: { path, errno } });
  }
}
