/**
 * A notification channel (issue 15): where alert messages go. Channels are configured as URLs in the
 * style of Shoutrrr/Apprise (`ntfy://host/topic`, `smtp://user:pass@host:587/?to=...`); each scheme has
 * its own module beside this one. A channel sends one message and says how it failed; retries with
 * backoff, dedup keys and the outbox are the alert engine's, not the channel's.
 */

export type NotificationKind = "firing" | "resolved" | "acknowledged" | "flapping" | "test";
export type NotificationSeverity = "critical" | "warning" | "info";

export interface Notification {
  /** Stable per alert state change: a receiver that supports it drops a resend (at least once, never twice). */
  dedupKey: string;
  kind: NotificationKind;
  severity: NotificationSeverity;
  /** One line: what and where ("zfs pool tank DEGRADED on nas"). */
  title: string;
  /** Since when, how bad, what to do first: the same text the health check gives. Plain text. */
  body: string;
  /** Hosts concerned: one, or all of a group (twenty hosts silent at once are one notification). */
  hosts: readonly string[];
  /** When the condition started (firing) or ended (resolved). */
  at: Date;
}

/** Why a send failed: `retry` (network, 5xx, 429: try again, after `retryAfterMs` if the server said) or `permanent`. */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly disposition: "retry" | "permanent",
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ChannelError";
  }
}

export interface Channel {
  /** The channel's name in the alert config ("phone", "ops-mail"). */
  readonly name: string;
  /** The URL scheme ("ntfy", "smtp", ...). */
  readonly scheme: string;
  /** The URL with every secret replaced by `***`: the only form that is logged or returned by the API or MCP. */
  readonly redacted: string;
  /** Sends one message; throws ChannelError. Never logs the URL or a secret. */
  send(notification: Notification, signal?: AbortSignal): Promise<void>;
}
