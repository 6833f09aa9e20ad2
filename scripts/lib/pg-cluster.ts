import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chown, mkdir } from "node:fs/promises";
import { join } from "node:path";
import postgres from "postgres";
import { ensureAppRole, ensureDatabase } from "./pg-roles.ts";

/**
 * A project-local PostgreSQL cluster: its own data directory, port and socket directory, never the
 * system's clusters. initdb refuses to run as root, so as root every server command runs as `postgres`.
 *
 * auth "password" (the local stack): no role is reachable without a secret. The superuser is the OS
 * account running the server, reachable only through the unix socket in the 0700 data directory with
 * peer authentication (so only that account, or root through it); TCP on 127.0.0.1 asks a SCRAM
 * password. The application logs in as `user`, which owns its databases but is no superuser and cannot
 * create roles or databases, so it cannot `COPY ... TO PROGRAM` or read the server's files.
 * auth "trust": throwaway test clusters, where every local login is the superuser.
 */
export interface PgClusterOptions {
  dataDir: string;
  port: number;
  database: string;
  user?: string;
  /** Tests trade durability for speed; the local stack keeps fsync on. */
  durable?: boolean;
  auth?: "password" | "trust";
  /** auth "password": the file holding `user`'s password (created 0600 by the caller). */
  passwordFile?: string;
  /**
   * The server's bin directory; default the newest installed. A copy elsewhere finds its share
   * directory relative to itself (tests give it stand-in extensions without touching the system's).
   */
  binDir?: string;
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

/** Runs a server tool as the account that owns the cluster; `input` goes to its stdin. */
export async function run(
  argv: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const full = asRoot ? ["runuser", "-u", "postgres", "--", ...argv] : argv;
  const proc = Bun.spawn(full, {
    env: { ...process.env, ...options.env },
    stdin: options.input === undefined ? "ignore" : new TextEncoder().encode(options.input),
    stdout: "pipe",
    stderr: "pipe",
  });
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
  readonly auth: "password" | "trust";
  private readonly durable: boolean;
  private readonly passwordFile: string | undefined;
  private readonly bin: string;

  constructor(options: PgClusterOptions) {
    this.port = options.port;
    this.dataDir = options.dataDir;
    this.database = options.database;
    this.user = options.user ?? "infrastructor";
    this.durable = options.durable ?? true;
    this.auth = options.auth ?? "trust";
    this.passwordFile = options.passwordFile;
    this.bin = options.binDir ?? postgresBinDir();
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.user)) throw new Error(`not a role name: ${this.user}`);
    if (this.auth === "password" && this.passwordFile === undefined)
      throw new Error("PgCluster: auth password needs a passwordFile");
  }

  /** The application's URL (with its password under auth "password"). */
  get url(): string {
    const secret = this.auth === "password" ? `:${encodeURIComponent(this.password())}` : "";
    return `postgres://${this.user}${secret}@127.0.0.1:${this.port}/${this.database}`;
  }

  private password(): string {
    const text = readFileSync(this.passwordFile as string, "utf8").trim();
    if (!/^[A-Za-z0-9_-]{24,}$/.test(text))
      throw new Error(`${this.passwordFile}: not a generated password (24+ letters, digits, - or _)`);
    return text;
  }

  /** A cluster made before passwords (initdb --auth=trust): any local user is its superuser. */
  trustsEveryone(): boolean {
    const hba = readFileSync(join(this.dataDir, "pg_hba.conf"), "utf8");
    return hba.split("\n").some((line) => /^\s*(local|host)\S*\s.*\btrust\s*$/.test(line));
  }

  isInitialized(): boolean {
    return existsSync(join(this.dataDir, "PG_VERSION"));
  }

  async init(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    if (asRoot) await chownToPostgres(this.dataDir);
    // Under "password" the superuser is the OS account running the server (initdb's default name),
    // reached by peer authentication over the 0700 socket directory only.
    const auth =
      this.auth === "password"
        ? ["--auth-local=peer", "--auth-host=scram-sha-256"]
        : ["-U", this.user, "--auth=trust"];
    const argv = [join(this.bin, "initdb"), "-D", this.dataDir, ...auth, "-E", "UTF8"];
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
    if (this.auth === "password") {
      const admin = { psql: join(this.bin, "psql"), socketDir: this.dataDir, port: this.port };
      await ensureAppRole(admin, this.user, this.password());
      await ensureDatabase(admin, name, this.user);
      return;
    }
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
