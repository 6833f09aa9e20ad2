import { existsSync, readdirSync } from "node:fs";
import { chown, mkdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";

/**
 * A project-local PostgreSQL cluster: its own data directory, port and socket directory, never the
 * system's clusters. initdb refuses to run as root, so as root every server command runs as `postgres`.
 */
export interface PgClusterOptions {
  dataDir: string;
  port: number;
  database: string;
  user?: string;
  /** Tests trade durability for speed; the local stack keeps fsync on. */
  durable?: boolean;
}

export function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base))
    throw new Error("PostgreSQL is not installed (run scripts/ensure-packages.sh stack)");
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no initdb under ${base}`);
  return join(base, versions[0] as string, "bin");
}

const asRoot = process.getuid?.() === 0;

async function run(argv: string[]): Promise<string> {
  const full = asRoot ? ["runuser", "-u", "postgres", "--", ...argv] : argv;
  const proc = Bun.spawn(full, { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  if (code !== 0) throw new Error(`${argv[0]} exited ${code}: ${err.trim() || out.trim()}`);
  return out;
}

export class PgCluster {
  readonly port: number;
  readonly dataDir: string;
  readonly database: string;
  readonly user: string;
  private readonly durable: boolean;
  private readonly bin = postgresBinDir();

  constructor(options: PgClusterOptions) {
    this.port = options.port;
    this.dataDir = options.dataDir;
    this.database = options.database;
    this.user = options.user ?? "infrastructor";
    this.durable = options.durable ?? true;
  }

  get url(): string {
    return `postgres://${this.user}@127.0.0.1:${this.port}/${this.database}`;
  }

  isInitialized(): boolean {
    return existsSync(join(this.dataDir, "PG_VERSION"));
  }

  async init(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    if (asRoot) await chownToPostgres(this.dataDir);
    const argv = [
      join(this.bin, "initdb"),
      "-D",
      this.dataDir,
      "-U",
      this.user,
      "--auth=trust",
      "-E",
      "UTF8",
    ];
    if (!this.durable) argv.push("--no-sync");
    await run(argv);
  }

  async start(): Promise<void> {
    const settings = [
      `-c port=${this.port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${this.dataDir}`,
      "-c max_connections=200",
    ];
    if (!this.durable) settings.push("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off");
    await run([
      join(this.bin, "pg_ctl"),
      "start",
      "-w",
      "-t",
      "60",
      "-D",
      this.dataDir,
      "-l",
      join(this.dataDir, "server.log"),
      "-o",
      settings.join(" "),
    ]);
  }

  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    await run([join(this.bin, "pg_ctl"), "stop", "-w", "-m", mode, "-D", this.dataDir]);
  }

  async isRunning(): Promise<boolean> {
    try {
      await run([join(this.bin, "pg_ctl"), "status", "-D", this.dataDir]);
      return true;
    } catch {
      return false;
    }
  }

  async createDatabase(name = this.database): Promise<void> {
    const admin = postgres({
      host: "127.0.0.1",
      port: this.port,
      user: this.user,
      database: "postgres",
      max: 1,
    });
    try {
      const exists = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
      if (exists.length === 0) await admin.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    } finally {
      await admin.end();
    }
  }
}

async function chownToPostgres(path: string): Promise<void> {
  const id = Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim();
  const gid = Bun.spawnSync(["id", "-g", "postgres"]).stdout.toString().trim();
  if (!id) throw new Error("the postgres system user is missing (is PostgreSQL installed?)");
  await chown(path, Number(id), Number(gid));
}
