import { readFileSync } from "node:fs";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { natsTls } from "@infrastructor/shared/nats-tls.ts";
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  DebugEvents,
  Events,
  type JetStreamClient,
  type NatsConnection,
  NatsError,
  ErrorCode as NatsErrorCode,
} from "nats";
import type { Logger } from "../logger.ts";

/** What the publisher needs from NATS; a seam for the publisher, not a mock target (tests use a server). */
export interface PublishLink {
  /** True only while a connection is up: nats.js would buffer publishes made while it is down. */
  readonly connected: boolean;
  /** The connected server's max_payload (headers + payload), from its INFO; null while not connected. */
  readonly maxPayload: number | null;
  /**
   * Publishes to JetStream and waits for the stream's ack; `duplicate` when the msgId was seen.
   * A payload over maxPayload fails with PAYLOAD_TOO_LARGE (it would fail the same way on every retry).
   */
  publish(subject: string, payload: Uint8Array, msgId: string, timeoutMs: number): Promise<PublishAck>;
  /** Called on every connect, disconnect and reconnect. */
  onChange(listener: () => void): void;
}

export interface PublishAck {
  duplicate: boolean;
  seq: number;
}

export interface NatsLinkOptions {
  servers: string[];
  token: string | null;
  credsFile: string | null;
  /** A PEM CA file: TLS is required and the server's certificate must chain to it. */
  caFile?: string | null;
  logger: Logger;
  /**
   * Where JetStream's acks come back (shared/src/subjects.ts hostInboxPrefix): per-host credentials may
   * subscribe only there, so nats.js's default `_INBOX` would be refused and every publish time out.
   */
  inboxPrefix?: string;
  /** Pause between connection attempts; default 2 s. */
  reconnectWaitMs?: number;
  name?: string;
}

/**
 * One NATS connection that never gives up: the first connect is retried by us (so close() can stop it
 * while NATS has never been reachable), later outages by nats.js (maxReconnectAttempts -1).
 */
export class NatsLink implements PublishLink {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private up = false;
  private closing = false;
  private cancelWait: (() => void) | null = null;
  private readonly listeners: (() => void)[] = [];
  private readonly connectOptions: ConnectionOptions;

  private constructor(private readonly options: NatsLinkOptions) {
    const wait = options.reconnectWaitMs ?? 2_000;
    this.connectOptions = {
      servers: options.servers,
      name: options.name ?? "infrastructor-agent",
      maxReconnectAttempts: -1,
      reconnectTimeWait: wait,
      timeout: 5_000,
      // A silently dead link (no FIN, e.g. a pulled cable) is noticed in ~30 s instead of nats.js's 4 min.
      pingInterval: 10_000,
      maxPingOut: 3,
      ...(options.inboxPrefix === undefined ? {} : { inboxPrefix: options.inboxPrefix }),
      ...(options.token === null ? {} : { token: options.token }),
      ...natsTls(options.servers, options.caFile ?? null),
      ...(options.credsFile === null
        ? {}
        : { authenticator: credsAuthenticator(readCreds(options.credsFile)) }),
    };
  }

  /** Starts connecting in the background and returns at once: sampling must not wait for NATS. */
  static start(options: NatsLinkOptions): NatsLink {
    const link = new NatsLink(options);
    link.connectLoop().catch((err) => options.logger.error({ err }, "NATS connect loop ended"));
    return link;
  }

  get connected(): boolean {
    return this.up;
  }

  get maxPayload(): number | null {
    return this.up ? (this.nc?.info?.max_payload ?? null) : null;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async publish(subject: string, payload: Uint8Array, msgId: string, timeoutMs: number): Promise<PublishAck> {
    if (!this.js || !this.up) throw new AppError(ErrorCode.NATS_UNAVAILABLE, "not connected to NATS");
    try {
      const ack = await this.js.publish(subject, payload, { msgID: msgId, timeout: timeoutMs });
      return { duplicate: ack.duplicate, seq: ack.seq };
    } catch (err) {
      if (err instanceof NatsError && err.code === NatsErrorCode.MaxPayloadExceeded) {
        throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `${payload.length} bytes exceed max_payload`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /** Drains when connected (bounded by timeoutMs), closes otherwise; never waits for a reconnect. */
  async close(timeoutMs = 2_000): Promise<void> {
    this.closing = true;
    this.cancelWait?.();
    const nc = this.nc;
    const wasUp = this.up;
    this.setUp(false);
    if (!nc || nc.isClosed()) return;
    if (wasUp) {
      let timer: Timer | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([nc.drain().catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
    if (!nc.isClosed()) await nc.close();
  }

  private async connectLoop(): Promise<void> {
    const log = this.options.logger;
    let failures = 0;
    while (!this.closing) {
      try {
        const nc = await connect(this.connectOptions);
        if (this.closing) {
          await nc.close();
          return;
        }
        this.nc = nc;
        this.js = nc.jetstream();
        this.watch(nc).catch((err) => log.error({ err }, "NATS status watch ended"));
        log.info({ server: nc.getServer() }, "connected to NATS");
        this.setUp(true);
        return;
      } catch (err) {
        failures += 1;
        // The first failure is news; the same failure every 2 s for an hour is not.
        const level = failures === 1 || failures % 30 === 0 ? "warn" : "debug";
        log[level](
          { error: (err as Error).message, failures },
          "cannot connect to NATS; sampling continues into the spool",
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.reconnectWaitMs ?? 2_000);
          this.cancelWait = (): void => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.cancelWait = null;
      }
    }
  }

  private async watch(nc: NatsConnection): Promise<void> {
    const log = this.options.logger;
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect || status.type === DebugEvents.StaleConnection) {
        if (this.up) log.warn({ server: status.data }, "disconnected from NATS; spooling");
        this.setUp(false);
      } else if (status.type === Events.Reconnect) {
        log.info({ server: status.data }, "reconnected to NATS");
        this.setUp(true);
      } else if (status.type === Events.Error) {
        log.error({ error: status.data }, "NATS reported an error");
      }
    }
  }

  private setUp(up: boolean): void {
    if (this.up === up || (up && this.closing)) return;
    this.up = up;
    for (const listener of this.listeners) listener();
  }
}

function readCreds(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `cannot read NATS credentials ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
