import type { Subprocess } from "bun";

/** Collects a child's stdout and stderr as they come, so a failing test can show what it printed. */
export function captureOutput(proc: Subprocess<"ignore" | "pipe" | "inherit", "pipe", "pipe">): () => string {
  let out = "";
  const decoder = new TextDecoder();
  const collect = async (stream: ReadableStream<Uint8Array>): Promise<void> => {
    for await (const chunk of stream) out += decoder.decode(chunk, { stream: true });
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  return () => out;
}
