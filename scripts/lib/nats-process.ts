import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { waitForPort } from "./free-port.ts";

/** A nats-server with JetStream on loopback, its store in a directory of ours. */
export interface NatsProcessOptions {
  storeDir: string;
  port: number;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /** Extra server arguments, e.g. `["-c", configPath]`. */
  args?: string[];
  logFile?: string;
}

/**
 * The nats-server to run: the one scripts/ensure-nats-server.sh unpacked into .local/ when the
 * distribution's is older than 2.9.15 (which an enrolled host can crash), else the system's.
 */
export function natsServerBinary(): string {
  for (const candidate of [
    join(import.meta.dir, "..", "..", ".local", "nats-server", "usr", "sbin", "nats-server"),
    "/usr/sbin/nats-server",
    "/usr/bin/nats-server",
    "/usr/local/bin/nats-server",
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  const found = Bun.which("nats-server");
  if (!found) throw new Error("nats-server is not installed (run scripts/ensure-packages.sh stack)");
  return found;
}

export class NatsProcess {
  readonly port: number;
  readonly storeDir: string;
  readonly host: string;
  private readonly options: NatsProcessOptions;
  private proc: Subprocess | null = null;

  constructor(options: NatsProcessOptions) {
    this.options = options;
    this.port = options.port;
    this.storeDir = options.storeDir;
    this.host = options.host ?? "127.0.0.1";
  }

  get url(): string {
    return `nats://${this.host}:${this.port}`;
  }

  argv(): string[] {
    const argv = [natsServerBinary(), "-js", "-sd", this.storeDir, "-a", this.host, "-p", String(this.port)];
    if (this.options.logFile) argv.push("-l", this.options.logFile);
    return [...argv, ...(this.options.args ?? [])];
  }

  async start(): Promise<void> {
    await mkdir(this.storeDir, { recursive: true });
    this.proc = Bun.spawn(this.argv(), { stdout: "ignore", stderr: "ignore" });
    await waitForPort(this.host, this.port, 15_000);
  }

  /** SIGTERM and wait: the server flushes its store and exits. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = null;
    proc.kill("SIGTERM");
    await proc.exited;
  }
}
