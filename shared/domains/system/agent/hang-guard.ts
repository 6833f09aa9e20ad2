import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * Bounds calls that can block forever, such as statfs on a stale NFS mount or a hwmon read on a wedged
 * I/O bus. A timeout cannot cancel the blocked call: it keeps holding a worker thread. So while a call
 * for a key is still pending, the guard does not start another one for that key; otherwise every poll
 * would strand one more thread until none is left for any file operation.
 */
export class HangGuard {
  readonly #pending = new Set<string>();

  async run<T>(key: string, timeoutMs: number, task: () => Promise<T>): Promise<T> {
    if (this.#pending.has(key)) {
      throw new AppError(
        ErrorCode.COMMAND_TIMEOUT,
        `${key}: still waiting for the call of an earlier sample`,
        {
          details: { key },
        },
      );
    }
    this.#pending.add(key);
    // An async wrapper turns a synchronous throw into a rejection, so the key is always released.
    const call = (async (): Promise<T> => task())();
    const release = (): void => void this.#pending.delete(key);
    call.then(release, release);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new AppError(ErrorCode.COMMAND_TIMEOUT, `${key}: no answer within ${timeoutMs} ms`, {
            details: { key, timeout_ms: timeoutMs },
          }),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([call, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keys whose call has not settled yet. */
  pending(): string[] {
    return [...this.#pending];
  }
}
