import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * The one audited place where an argv becomes a remote command line. SSH only carries a string, which the
 * remote user's login shell parses, so every element is single-quoted: inside single quotes a POSIX shell
 * interprets nothing (no `$`, backticks, `;`, globs, newlines), and the only character that cannot appear
 * there, `'`, is closed, escaped and reopened as `'\''`. NUL cannot be passed through any shell (C strings
 * end there), so it is refused rather than silently cutting an argument short.
 */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new AppError(ErrorCode.INVALID_ARGUMENT, "cannot quote an empty argv");
  if (argv[0] === "") throw new AppError(ErrorCode.INVALID_ARGUMENT, "argv[0] (the program) is empty");
  return argv.map(quoteOne).join(" ");
}

function quoteOne(arg: string, index: number): string {
  if (arg.includes("\0")) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `argv[${index}] contains a NUL byte`, {
      details: { index },
    });
  }
  return `'${arg.replaceAll("'", "'\\''")}'`;
}
