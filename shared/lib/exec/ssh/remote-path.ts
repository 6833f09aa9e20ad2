import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * Every path goes to the remote host as one quoted argv element, but it is still checked first: relative
 * paths would depend on the login directory, and NUL or line breaks have no business in the paths our
 * collectors read (they would also garble the line-based outputs we parse).
 */
export function checkRemotePath(path: string): string {
  if (!path.startsWith("/") || /[\0\n\r]/.test(path)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `not an absolute path without NUL or line breaks: ${JSON.stringify(path)}`,
      {
        details: { path },
      },
    );
  }
  return path;
}

/**
 * What a failed remote file operation means, from its (C-locale) stderr, with the codes LocalExecutor
 * gives for the same errno: missing (ENOENT, ENOTDIR) is NOT_FOUND, anything else READ_FAILED.
 */
export function remoteFsError(op: string, path: string, stderr: string, exitCode: number): AppError {
  const errno = /No such file or directory/.test(stderr)
    ? "ENOENT"
    : /Not a directory/.test(stderr)
      ? "ENOTDIR"
      : /Permission denied/.test(stderr)
        ? "EACCES"
        : /Is a directory/.test(stderr)
          ? "EISDIR"
          : undefined;
  const code = errno === "ENOENT" || errno === "ENOTDIR" ? ErrorCode.NOT_FOUND : ErrorCode.READ_FAILED;
  const reason = errno ?? (stderr.trim().split("\n")[0] || `exit ${exitCode}`);
  return new AppError(code, `${op} ${path}: ${reason}`, {
    details: { path, errno, stderr: stderr.slice(0, 500) },
  });
}
