import type { Executor } from "@infrastructor/lib/exec/executor.ts";

/** Wraps an executor and records how long each of its calls took (ms). */
export function timedExecutor(inner: Executor): { executor: Executor; durations: number[] } {
  const durations: number[] = [];
  const time = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      durations.push(performance.now() - started);
    }
  };
  const executor: Executor = {
    kind: inner.kind,
    run: (argv, options) => time(() => inner.run(argv, options)),
    readFile: (path, options) => time(() => inner.readFile(path, options)),
    listDir: (path) => time(() => inner.listDir(path)),
    statfs: (path) => time(() => inner.statfs(path)),
  };
  return { executor, durations };
}
