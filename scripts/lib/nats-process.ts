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

  /**
   * Starts the server and resolves once it says it is ready. One that exits first (its port taken, a
   * bad config) is an error carrying its exit code and the end of its log, not a long wait, nor a
   * start answered by whatever else listens on that port. With a log file, the port is all there is.
   */
  async start(): Promise<void> {
    await mkdir(this.storeDir, { recursive: true });
    const proc = Bun.spawn(this.argv(), { stdout: "ignore", stderr: "pipe" });
    this.proc = proc;
    const log = lastBytesOf(proc.stderr, 4096);
    const exited = proc.exited.then((code) => {
      throw new Error(`nats-server exited ${code} before listening on ${this.host}:${this.port}:\n${log()}`);
    });
    // Minutes, not seconds: a loaded machine recovering a JetStream store is slow, and a fast failure exits.
    const ready = this.options.logFile
      ? waitForPort(this.host, this.port, 120_000)
      : waitForLog(log, "Server is ready", 120_000);
    await Promise.race([ready, exited]);
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

/** Reads `stream` to its end (so the child never blocks on a full pipe), keeping its last `max` bytes. */
function lastBytesOf(stream: ReadableStream<Uint8Array>, max: number): () => string {
  let kept = "";
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of stream) kept = (kept + decoder.decode(chunk, { stream: true })).slice(-max);
  })().catch(() => {});
  return () => kept;
}

/** Resolves once `log()` contains `line`; rejects after timeoutMs with what it holds. */
async function waitForLog(log: () => string, line: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!log().includes(line)) {
    if (Date.now() > deadline)
      throw new Error(`nats-server did not say "${line}" in ${timeoutMs} ms:\n${log()}`);
    await Bun.sleep(20);
  }
}
