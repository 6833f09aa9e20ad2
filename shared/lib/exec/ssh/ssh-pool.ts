import { readFile } from "node:fs/promises";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { Client, type ClientChannel, type ConnectConfig, type HostVerifier, type SFTPWrapper } from "ssh2";
import { type HostKeyPolicy, verifyHostKey } from "./host-keys.ts";
import { probeLoginShell } from "./login-shell-probe.ts";
import { transportFailure } from "./transport-failure.ts";

/** Where and as whom to log in. keyPath null (or absent) means: ask the ssh-agent. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  keyPath?: string | null;
  /** The device's name, only for messages (the re-trust command). */
  device?: string;
}

export interface SshPoolOptions {
  hostKeys: HostKeyPolicy;
  /** TCP connect + SSH handshake + auth; default 5 s. */
  connectTimeoutMs?: number;
  /** A connection without open channels is closed after this long; default 60 s. */
  idleTimeoutMs?: number;
  /** Concurrent channels per connection; default 8, under OpenSSH's MaxSessions default of 10. */
  maxChannels?: number;
  /** The ssh-agent socket (SSH_AUTH_SOCK) for targets without a key file. */
  agentSocket?: string | null;
}

export interface SshPoolStats {
  /** Connections ever started (successful or not): reuse shows as this staying put. */
  connectsTotal: number;
  /** Connections up right now. */
  open: number;
}

interface Connection {
  client: Client;
  ready: Promise<void>;
  up: boolean;
  closed: boolean;
  channels: number;
  /** Channels allowed at once: maxChannels, lowered when sshd refuses one (its MaxSessions, or a lag). */
  limit: number;
  waiters: Array<{ resolve: () => void; reject: (err: AppError) => void }>;
  idleTimer: ReturnType<typeof setTimeout> | null;
  closedPromise: Promise<void>;
  /** Takes the connection out of the pool at once (callers after this dial anew) and fails its waiters. */
  forget: () => void;
}

/** Anything the pool opens on a connection: a session channel or an SFTP session; both emit "close". */
type PoolChannel = ClientChannel | SFTPWrapper;
type Opener<T extends PoolChannel> = (
  client: Client,
  done: (err: Error | undefined, channel: T) => void,
) => void;

/** Session channels refused in a row before the caller sees channel-refused: pauses of 20..320 ms. */
const MAX_SESSION_REFUSALS = 5;
const REFUSAL_BACKOFF_MS = 20;

/**
 * One SSH connection per target, shared by every caller: concurrent first callers wait on the same
 * handshake, channels are capped per connection (excess callers queue), idle connections close, and a
 * dropped connection is forgotten so the next call dials again.
 */
export class SshPool {
  private readonly connections = new Map<string, Connection>();
  private connectsTotal = 0;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly maxChannels: number;

  constructor(private readonly options: SshPoolOptions) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.maxChannels = options.maxChannels ?? 8;
  }

  /** Runs a command line (already quoted: quote-argv.ts) in a new session channel. */
  exec(target: SshTarget, commandLine: string): Promise<ClientChannel> {
    return this.openChannel(target, (client, done) => client.exec(commandLine, done));
  }

  /** A stream to a unix socket on the remote host (OpenSSH's direct-streamlocal), e.g. Docker's API. */
  forwardStreamLocal(target: SshTarget, socketPath: string): Promise<ClientChannel> {
    // sshd refuses it when nothing listens on the socket: no session limit to learn from that.
    return this.openChannel(
      target,
      (client, done) => client.openssh_forwardOutStreamLocal(socketPath, done),
      "streamlocal",
    );
  }

  /** An SFTP session (the server's sftp subsystem), e.g. to upload a file; it holds a channel slot until end(). */
  sftp(target: SshTarget): Promise<SFTPWrapper> {
    return this.openChannel<SFTPWrapper>(target, (client, done) => client.sftp(done));
  }

  stats(): SshPoolStats {
    let open = 0;
    for (const conn of this.connections.values()) if (conn.up && !conn.closed) open += 1;
    return { connectsTotal: this.connectsTotal, open };
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const conn of all) conn.client.end();
    await Promise.all(all.map((c) => Promise.race([c.closedPromise, Bun.sleep(2_000)])));
  }

  private async openChannel<T extends PoolChannel = ClientChannel>(
    target: SshTarget,
    open: Opener<T>,
    kind: "session" | "streamlocal" = "session",
  ): Promise<T> {
    // Two attempts: a connection that dropped since the last call is only noticed when we use it.
    let refusals = 0;
    for (let attempt = 1; ; attempt += 1) {
      const conn = await this.connection(target);
      await this.takeSlot(conn);
      try {
        const channel = await new Promise<T>((resolve, reject) => {
          try {
            open(conn.client, (err, ch) => (err === undefined || err === null ? resolve(ch) : reject(err)));
          } catch (err) {
            reject(err); // ssh2 throws "Not connected" synchronously
          }
        });
        channel.once("close", () => this.releaseSlot(conn));
        return channel;
      } catch (err) {
        this.releaseSlot(conn);
        if (conn.closed && attempt === 1) continue;
        const message = (err as Error).message;
        if (conn.closed)
          throw transportFailure(target, "connection-lost", `connection dropped: ${message}`, err);
        // A session refused on a working connection: sshd's MaxSessions is below our cap, or sshd still
        // counts sessions we closed (it frees one only after reading our close, in a later turn of its
        // loop, so an open sent right behind a close can find it full). Hold this connection to the
        // sessions open now and ask again after a short, growing pause; the command has not run yet.
        if (kind === "session" && refusals < MAX_SESSION_REFUSALS) {
          refusals += 1;
          if (conn.channels > 0) conn.limit = Math.min(conn.limit, conn.channels);
          await Bun.sleep(REFUSAL_BACKOFF_MS * 2 ** (refusals - 1));
          continue;
        }
        throw transportFailure(target, "channel-refused", `channel refused: ${message}`, err);
      }
    }
  }

  private async connection(target: SshTarget): Promise<Connection> {
    const key = `${target.user}@${target.host}:${target.port}#${target.keyPath ?? "agent"}`;
    let conn = this.connections.get(key);
    if (conn === undefined || conn.closed) {
      conn = this.connect(target, key);
      this.connections.set(key, conn);
    }
    await conn.ready;
    return conn;
  }

  private connect(target: SshTarget, key: string): Connection {
    this.connectsTotal += 1;
    const client = new Client();
    let markClosed: () => void = () => undefined;
    const conn: Connection = {
      client,
      ready: Promise.resolve(),
      up: false,
      closed: false,
      channels: 0,
      limit: this.maxChannels,
      waiters: [],
      idleTimer: null,
      closedPromise: new Promise<void>((resolve) => {
        markClosed = resolve;
      }),
      forget: () => undefined,
    };
    const forget = (): void => {
      conn.closed = true;
      conn.up = false;
      if (conn.idleTimer !== null) clearTimeout(conn.idleTimer);
      if (this.connections.get(key) === conn) this.connections.delete(key);
      for (const waiter of conn.waiters.splice(0))
        waiter.reject(transportFailure(target, "connection-lost", "connection closed"));
      markClosed();
    };
    conn.forget = forget;
    conn.ready = new Promise<void>((resolve, reject) => {
      let settled = false;
      let hostKeyError: AppError | undefined;
      const fail = (err: AppError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        forget();
        client.destroy();
        reject(err);
      };
      // Our own deadline too: ssh2's readyTimeout does not cover a slow host-key check or key file read.
      const timer = setTimeout(
        () => fail(unreachable(target, `no SSH session within ${this.connectTimeoutMs} ms`)),
        this.connectTimeoutMs,
      );
      client.once("ready", () => {
        if (settled) return;
        clearTimeout(timer);
        // Small request packets back to back (exec, then EOF) otherwise wait on Nagle + delayed ACK:
        // measured 80 ms per command on loopback without this, 2-3 ms with it.
        client.setNoDelay(true);
        // A login shell that prints or hangs at start-up would corrupt or stall every command: refuse
        // the connection with the reason instead of handing out parse errors later.
        probeLoginShell(client, target, this.connectTimeoutMs).then(
          () => {
            if (settled) return;
            settled = true;
            conn.up = true;
            this.armIdle(conn);
            resolve();
          },
          (err: unknown) => fail(toAppError(err)),
        );
      });
      client.on("error", (err: Error & { level?: string }) => {
        if (hostKeyError !== undefined) fail(hostKeyError);
        else if (err.level === "client-authentication")
          fail(unreachable(target, "authentication failed", err));
        else if (err.level === "client-timeout") fail(unreachable(target, "SSH handshake timed out", err));
        else if ((err as { code?: string }).code === "ECONNRESET")
          fail(transportFailure(target, "connection-lost", "ECONNRESET", err));
        else fail(unreachable(target, (err as { code?: string }).code ?? err.message, err));
      });
      client.on("close", () => {
        // sshd drops connections beyond MaxStartups before the handshake ends: busy, not down.
        fail(transportFailure(target, "connection-lost", "connection closed during the handshake"));
        forget();
      });
      this.connectConfig(target, (key: Buffer, verify: (valid: boolean) => void) => {
        verifyHostKey(
          { host: target.host, port: target.port, device: target.device },
          key,
          this.options.hostKeys,
        ).then(
          () => verify(true),
          (err: unknown) => {
            hostKeyError = toAppError(err);
            verify(false);
          },
        );
      }).then(
        (config) => {
          if (!settled) client.connect(config);
        },
        (err: unknown) => fail(toAppError(err, ErrorCode.CONFIG_INVALID)),
      );
    });
    return conn;
  }

  private async connectConfig(target: SshTarget, hostVerifier: HostVerifier): Promise<ConnectConfig> {
    const base: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: this.connectTimeoutMs,
      // Notice a silently vanished peer within about 45 s instead of at the next TCP timeout.
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier,
    };
    if (target.keyPath !== undefined && target.keyPath !== null) {
      try {
        return { ...base, privateKey: await readFile(target.keyPath) };
      } catch (err) {
        throw new AppError(
          ErrorCode.CONFIG_INVALID,
          `cannot read SSH key ${target.keyPath}: ${(err as Error).message}`,
          {
            cause: err,
            details: { host: target.host, key_path: target.keyPath },
          },
        );
      }
    }
    const agent = this.options.agentSocket;
    if (agent === undefined || agent === null || agent === "") {
      throw new AppError(
        ErrorCode.CONFIG_INVALID,
        `the SSH target of ${target.host} uses the ssh-agent, but no agent socket (SSH_AUTH_SOCK) is set`,
        { details: { host: target.host } },
      );
    }
    return { ...base, agent };
  }

  private takeSlot(conn: Connection): Promise<void> {
    if (conn.idleTimer !== null) {
      clearTimeout(conn.idleTimer);
      conn.idleTimer = null;
    }
    if (conn.channels < conn.limit) {
      conn.channels += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => conn.waiters.push({ resolve, reject }));
  }

  private releaseSlot(conn: Connection): void {
    if (conn.closed) return;
    conn.channels -= 1;
    // Slots pass straight to queued callers, as many as the (possibly lowered) limit allows.
    while (conn.channels < conn.limit && conn.waiters.length > 0) {
      conn.channels += 1;
      conn.waiters.shift()?.resolve();
    }
    if (conn.channels === 0) this.armIdle(conn);
  }

  private armIdle(conn: Connection): void {
    if (conn.idleTimer !== null) clearTimeout(conn.idleTimer);
    conn.idleTimer = setTimeout(() => {
      // Out of the pool before the goodbye: a call arriving meanwhile must not pick a closing connection.
      conn.forget();
      conn.client.end();
    }, this.idleTimeoutMs);
    conn.idleTimer.unref();
  }
}

function unreachable(target: SshTarget, reason: string, cause?: unknown): AppError {
  return new AppError(
    ErrorCode.HOST_UNREACHABLE,
    `ssh ${target.user}@${target.host}:${target.port}: ${reason}`,
    {
      cause,
      details: { host: target.host, port: target.port, reason },
    },
  );
}
