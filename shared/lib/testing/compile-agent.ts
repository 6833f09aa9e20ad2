import { join, resolve } from "node:path";

const repo = resolve(import.meta.dir, "../../..");

/** Compiles the real agent for linux-x64 to `outfile`; minified or not gives two builds with different bytes. */
export async function compileAgent(outfile: string, minify: boolean): Promise<void> {
  const build = Bun.spawn(
    [
      "bun",
      "build",
      "--compile",
      ...(minify ? ["--minify"] : []),
      "--target=bun-linux-x64",
      join(repo, "agent/src/main.ts"),
      "--outfile",
      outfile,
    ],
    { cwd: repo, stdout: "ignore", stderr: "pipe" },
  );
  if ((await build.exited) !== 0)
    throw new Error(`bun build failed: ${await new Response(build.stderr).text()}`);
}
