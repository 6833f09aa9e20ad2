import { stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Builds the agent as single-file executables (Bun runtime included) for the machines a homelab has:
 * x86-64 boxes and arm64 boards. Output: dist/infrastructor-agent-linux-{x64,arm64}.
 * Run: bun run build:agent [x64|arm64 ...]
 */
const TARGETS = { x64: "bun-linux-x64", arm64: "bun-linux-arm64" } as const;
type Arch = keyof typeof TARGETS;

const root = join(import.meta.dir, "../..");
const entry = join(root, "agent/src/main.ts");
const requested = process.argv.slice(2);
const unknown = requested.filter((arch) => !(arch in TARGETS));
if (unknown.length > 0) {
  console.error(`unknown target(s): ${unknown.join(", ")}; known: ${Object.keys(TARGETS).join(", ")}`);
  process.exit(2);
}
const arches = (requested.length > 0 ? requested : Object.keys(TARGETS)) as Arch[];

for (const arch of arches) {
  const outfile = join(root, "dist", `infrastructor-agent-linux-${arch}`);
  const started = performance.now();
  const build = Bun.spawn(
    [
      process.execPath,
      "build",
      "--compile",
      "--minify",
      "--sourcemap",
      `--target=${TARGETS[arch]}`,
      entry,
      "--outfile",
      outfile,
    ],
    { cwd: root, stdout: "inherit", stderr: "inherit" },
  );
  if ((await build.exited) !== 0) {
    console.error(`build for ${arch} failed`);
    process.exit(1);
  }
  const { size } = await stat(outfile);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${arch.padEnd(6)} ${(size / 1024 ** 2).toFixed(1).padStart(6)} MiB  dist/infrastructor-agent-linux-${arch}  (${seconds} s)`,
  );
}
