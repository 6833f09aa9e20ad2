import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../scripts/lib/free-port.ts";

/**
 * bench/agent-footprint: the compiled agent's size and idle memory against the bare Bun runtime
 * compiled the same way (the floor every single-file Bun binary pays), measured in the same run.
 *   bun bench/agent-footprint/run.ts [checkout=this one] [seconds=30]
 * The agent runs with every default collector on this machine and NATS unreachable (it spools), so
 * the figure is a real idle agent, not an empty loop.
 */
const checkout = resolve(process.argv[2] ?? join(import.meta.dir, "../.."));
const seconds = Number(process.argv[3] ?? 30);
const dir = await mkdtemp(join(tmpdir(), "infra-footprint-"));
const MiB = 1024 * 1024;

async function compile(entry: string, outfile: string, cwd: string): Promise<number> {
  const build = Bun.spawn(
    [
      process.execPath,
      "build",
      "--compile",
      "--minify",
      "--target=bun-linux-x64",
      entry,
      "--outfile",
      outfile,
    ],
    { cwd, stdout: "ignore", stderr: "inherit" },
  );
  if ((await build.exited) !== 0) throw new Error(`build of ${entry} failed`);
  return (await stat(outfile)).size;
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Median RSS over the second half of the run: after start-up and the first polls have settled. */
async function idleRss(argv: string[], env: Record<string, string>): Promise<number> {
  const proc = Bun.spawn(argv, { env, stdout: "ignore", stderr: "ignore" });
  const samples: number[] = [];
  try {
    for (let s = 1; s <= seconds; s++) {
      await Bun.sleep(1000);
      if (proc.exitCode !== null) throw new Error(`${argv[0]} exited ${proc.exitCode} after ${s} s`);
      if (s > seconds / 2) samples.push(await rssBytes(proc.pid));
    }
  } finally {
    proc.kill();
    await proc.exited;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

try {
  const bareEntry = join(dir, "bare.ts");
  await writeFile(bareEntry, "setInterval(() => {}, 1000);\n");
  const bareSize = await compile(bareEntry, join(dir, "bare"), dir);
  const agentBin = join(dir, "agent");
  const agentSize = await compile(join(checkout, "agent/src/main.ts"), agentBin, checkout);
  const bareRss = await idleRss([join(dir, "bare")], {});
  const agentRss = await idleRss([agentBin], {
    PATH: process.env.PATH ?? "",
    INFRA_HOST: "footprint",
    INFRA_AGENT_CONFIG: "",
    NATS_URL: `nats://127.0.0.1:${await freePort()}`,
    INFRA_SPOOL_DIR: join(dir, "spool"),
    INFRA_LOG_LEVEL: "error",
  });
  const f = (bytes: number): string => (bytes / MiB).toFixed(1);
  console.log(`checkout: ${checkout}`);
  console.log(`binary: agent ${f(agentSize)} MiB, bare runtime ${f(bareSize)} MiB`);
  console.log(
    `idle RSS (median of the last ${Math.ceil(seconds / 2)} s): agent ${f(agentRss)} MiB, bare runtime ${f(bareRss)} MiB`,
  );
  console.log(
    `bench agent-footprint: binary +${f(agentSize - bareSize)} MiB over the runtime (x${(agentSize / bareSize).toFixed(3)}), ` +
      `idle RSS +${f(agentRss - bareRss)} MiB (x${(agentRss / bareRss).toFixed(2)}) ` +
      "(target: the agent adds under 2 MiB to the binary and under 48 MiB of RSS over the runtime)",
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
