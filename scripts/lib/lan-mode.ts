import { isIP } from "node:net";
import { join } from "node:path";
import { ensureTlsMaterial, type TlsMaterial } from "../../collector/src/tls/tls-material.ts";

/** `bun run up [--listen ADDR]`: where the stack listens; null: this machine only (127.0.0.1). */
export function parseUpArgs(argv: string[]): { listen: string | null } {
  if (argv.length === 0) return { listen: null };
  const [flag, value, ...rest] = argv;
  const address = flag?.startsWith("--listen=") ? flag.slice("--listen=".length) : value;
  const extra = flag?.startsWith("--listen=") ? [value, ...rest].filter((a) => a !== undefined) : rest;
  if (!flag?.startsWith("--listen") || address === undefined || extra.length > 0) {
    throw new Error("usage: bun run up [--listen ADDRESS]   (ADDRESS: this machine's LAN IP address)");
  }
  // Bound to one address the other hosts reach; 0.0.0.0 would give the certificate no name to carry.
  if (isIP(address) === 0 || address === "0.0.0.0" || address === "::") {
    throw new Error(
      `--listen ${JSON.stringify(address)}: give one IP address of this machine (e.g. 192.168.1.10)`,
    );
  }
  return { listen: address };
}

/**
 * The stack's TLS: one site CA and a server certificate for the collector (HTTPS) and nats-server, naming
 * loopback and, in LAN mode, the address other hosts use. Kept in .local/tls; re-issued under the same
 * CA when a new address is asked for.
 */
export function stackTls(localDir: string, listen: string | null): TlsMaterial {
  return ensureTlsMaterial(join(localDir, "tls"), [
    "127.0.0.1",
    "localhost",
    ...(listen === null ? [] : [listen]),
  ]);
}

/** `bun run build:agent`: the binaries /agent/linux-{x64,arm64} serve to the hosts that join. */
export function buildAgents(root: string): void {
  console.log("building the agent for linux-x64 and linux-arm64 (served to the hosts that join)...");
  const build = Bun.spawnSync(["bun", join(root, "agent/scripts/build.ts")], {
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  });
  if (build.exitCode !== 0) throw new Error("bun run build:agent failed");
}

/** A fresh single-use enrollment token, through the operator CLI (its hash only is stored). */
export function newEnrollmentToken(root: string, databaseUrl: string): string {
  const created = Bun.spawnSync(
    [
      "bun",
      join(root, "collector/src/cli.ts"),
      "enroll-token",
      "create",
      // The next host's name is not known here: a single-use token any one new host may use.
      "--any-host",
      "--note",
      "bun run up --listen",
    ],
    { env: { ...process.env, DATABASE_URL: databaseUrl }, stdout: "pipe", stderr: "pipe" },
  );
  const token = created.stdout.toString().trim();
  if (created.exitCode !== 0 || token === "") {
    throw new Error(`could not create an enrollment token: ${created.stderr.toString().trim()}`);
  }
  return token;
}
