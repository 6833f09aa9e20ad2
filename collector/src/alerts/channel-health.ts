import type { Notification } from "@infrastructor/lib/notify/channel.ts";
import type { Sql, TransactionSql } from "postgres";

/**
 * A channel that keeps failing is news itself: an alert that cannot be delivered is the one failure
 * the operator would otherwise never hear of. Each channel's current run of failures is kept in
 * alert_channel_health; past a threshold it is reported once per outage on the other channels, and
 * `/health` and `/metrics` read it.
 */

/** A channel is failing after this long failing, or this many failures in a row, whichever first. */
export interface FailingAfter {
  ms: number;
  attempts: number;
}

export interface ChannelHealth {
  channel: string;
  failing: boolean;
  failingSince: Date | null;
  failures: number;
  /** The channel's own message, which never names a secret. */
  lastError: string | null;
  lastOkAt: Date | null;
}

interface HealthRow {
  channel: string;
  failing_since: Date | null;
  failures: number;
  last_error: string | null;
  last_ok_at: Date | null;
  failing: boolean;
}

export async function channelHealth(sql: Sql, after: FailingAfter): Promise<ChannelHealth[]> {
  const rows = await sql<HealthRow[]>`
    SELECT channel, failing_since, failures, last_error, last_ok_at,
      failing_since IS NOT NULL AND (failures >= ${after.attempts}
        OR failing_since <= now() - ${after.ms} * interval '1 millisecond') AS failing
    FROM alert_channel_health ORDER BY channel`;
  return rows.map((r) => ({
    channel: r.channel,
    failing: r.failing,
    failingSince: r.failing_since,
    failures: r.failures,
    lastError: r.last_error,
    lastOkAt: r.last_ok_at,
  }));
}

/** Counts a failure; returns the outage notice when this failure makes it reportable (once per outage). */
export async function recordFailure(
  tx: TransactionSql,
  channel: string,
  message: string,
  after: FailingAfter,
): Promise<Notification | null> {
  await tx`
    INSERT INTO alert_channel_health (channel, failing_since, failures, last_error, last_fail_at)
    VALUES (${channel}, now(), 1, ${message}, now())
    ON CONFLICT (channel) DO UPDATE SET
      failing_since = COALESCE(alert_channel_health.failing_since, now()),
      failures = alert_channel_health.failures + 1,
      last_error = EXCLUDED.last_error, last_fail_at = now()`;
  const [row] = await tx<{ failing_since: Date; failures: number; last_error: string }[]>`
    UPDATE alert_channel_health SET reported_at = now()
    WHERE channel = ${channel} AND reported_at IS NULL
      AND (failures >= ${after.attempts} OR failing_since <= now() - ${after.ms} * interval '1 millisecond')
    RETURNING failing_since, failures, last_error`;
  if (row === undefined) return null;
  return {
    dedupKey: outageKey(channel, row.failing_since),
    kind: "firing",
    severity: "warning",
    title: `[WARNING] alert channel ${channel} is failing`,
    body: [
      `Notifications to ${channel} have failed ${row.failures} times since ${row.failing_since.toISOString()}; they are retried and will arrive when it works again.`,
      `Last error: ${row.last_error}`,
      `First step: check the service ${channel} points to and its URL in the alert config; \`infra alerts test ${channel}\` sends a test message.`,
    ].join("\n"),
    hosts: [],
    at: row.failing_since,
  };
}

/** Ends a run of failures; returns the recovery notice when the outage had been reported. */
export async function recordSuccess(tx: TransactionSql, channel: string): Promise<Notification | null> {
  const [before] = await tx<{ failing_since: Date | null; reported_at: Date | null }[]>`
    SELECT failing_since, reported_at FROM alert_channel_health WHERE channel = ${channel} FOR UPDATE`;
  await tx`
    INSERT INTO alert_channel_health (channel, failures, last_ok_at) VALUES (${channel}, 0, now())
    ON CONFLICT (channel) DO UPDATE SET
      failing_since = NULL, failures = 0, last_ok_at = now(), reported_at = NULL`;
  if (before?.reported_at == null || before.failing_since === null) return null;
  return {
    dedupKey: `${outageKey(channel, before.failing_since)}|resolved`,
    kind: "resolved",
    severity: "warning",
    title: `[RESOLVED WARNING] alert channel ${channel} delivers again`,
    body: `${channel} failed from ${before.failing_since.toISOString()} and delivers again; what it missed is being sent now.`,
    hosts: [],
    at: new Date(),
  };
}

function outageKey(channel: string, since: Date): string {
  return `channel_failing|${channel}|${since.toISOString()}`;
}

/**
 * A channel taken out of the alert config: nothing will send its queued notifications again, and its
 * failure record would say forever that alerts are not getting through. Its unsent notifications are
 * marked failed (with why) and its record dropped. Collectors share one config; during a rolling change
 * one still running the old config may lose the few notifications of the channel being removed.
 * Returns how many notifications were given up.
 */
export async function forgetRemovedChannels(sql: Sql, configured: readonly string[]): Promise<number> {
  return await sql.begin(async (tx) => {
    const given = await tx`
      UPDATE notification_outbox SET failed_at = now(), last_error = 'the channel is no longer in the alert config'
      WHERE sent_at IS NULL AND failed_at IS NULL AND channel <> ALL(${configured as string[]}::text[])`;
    await tx`DELETE FROM alert_channel_health WHERE channel <> ALL(${configured as string[]}::text[])`;
    return given.count;
  });
}
