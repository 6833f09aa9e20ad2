import type { Notification } from "@infrastructor/lib/notify/channel.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Sql } from "postgres";
import type { Mute } from "./alert.ts";
import { enqueue, loadWorkingSet, lockAlerts } from "./alert-store.ts";

/**
 * What an operator does to alerts (the REST, MCP and CLI surfaces call these): acknowledge a firing
 * alert, mute alerts until a time, end a mute. Each takes the alerts' write lock, so it never races an
 * evaluation, and records itself in the alert history.
 */

export interface Acknowledged {
  key: string;
  ackedAt: Date;
  ackedBy: string;
}

/**
 * Acknowledges a firing alert: no repeat until it changes (evaluate.ts ends the acknowledgement on a
 * change of severity or a new episode). The channels hear who took it, so no one else starts on it.
 */
export async function acknowledgeAlert(
  sql: Sql,
  input: { key: string; by: string; now: Date; channelsOf: (rule: string) => readonly string[] },
): Promise<Acknowledged> {
  return await sql.begin(async (tx) => {
    await lockAlerts(tx);
    const alert = (await loadWorkingSet(tx)).get(input.key);
    if (alert === undefined || alert.state !== "firing") {
      throw new AppError(ErrorCode.NOT_FOUND, `no firing alert ${input.key}`);
    }
    await tx`UPDATE alerts SET acked_at = ${input.now}, acked_by = ${input.by}, updated_at = now()
      WHERE key = ${input.key}`;
    await tx`INSERT INTO alert_events (alert_key, kind, at, severity, what, evidence, actor)
      VALUES (${alert.key}, 'acknowledged', ${input.now}, ${alert.severity}, ${alert.what},
        ${alert.evidence}, ${input.by})`;
    const n: Notification = {
      dedupKey: `${alert.key}|acknowledged|${input.now.toISOString()}`,
      kind: "acknowledged",
      severity: alert.severity,
      title: `[ACKNOWLEDGED ${alert.severity.toUpperCase()}] ${alert.device}: ${alert.what}`,
      body: `Acknowledged by ${input.by} at ${input.now.toISOString()}; no repeats until it changes.\n${alert.evidence}`,
      hosts: [alert.device],
      at: input.now,
    };
    // One still waiting for its group (evaluate.ts) was never told: nothing to announce, and it never will be.
    if (alert.notifiedAt !== null) {
      await enqueue(
        tx,
        input.channelsOf(alert.rule).map((channel) => ({ n, channel })),
      );
    }
    return { key: alert.key, ackedAt: input.now, ackedBy: input.by };
  });
}

export interface MuteInput extends Omit<Mute, "until"> {
  until: Date;
  reason: string;
  by: string;
  now: Date;
}

/**
 * Mutes what matches every field given (at least one) until `until`. The alerts it mutes now get a
 * `muted` event; the notification plan drops their news until the mute ends.
 */
export async function muteAlerts(sql: Sql, input: MuteInput): Promise<{ id: number; muted: string[] }> {
  if ([input.device, input.rule, input.key, input.tag].every((f) => f === null)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, "a mute names a device, a rule, an alert or a tag");
  }
  if (input.until.getTime() <= input.now.getTime()) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, "a mute ends in the future");
  }
  return await sql.begin(async (tx) => {
    await lockAlerts(tx);
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO alert_mutes (device, rule, key, tag, until, reason, created_by, created_at)
      VALUES (${input.device}, ${input.rule}, ${input.key}, ${input.tag}, ${input.until},
        ${input.reason}, ${input.by}, ${input.now})
      RETURNING id`;
    // A tag mute needs the device's tags, which the plan asks for each evaluation; none are recorded here.
    const muted =
      input.tag !== null
        ? []
        : [...(await loadWorkingSet(tx)).values()].filter(
            (a) =>
              a.state !== "resolved" &&
              (input.device === null || a.device === input.device) &&
              (input.rule === null || a.rule === input.rule) &&
              (input.key === null || a.key === input.key),
          );
    for (const a of muted) {
      await tx`INSERT INTO alert_events (alert_key, kind, at, severity, what, evidence, actor)
        VALUES (${a.key}, 'muted', ${input.now}, ${a.severity}, ${a.what},
          ${`until ${input.until.toISOString()}: ${input.reason}`}, ${input.by})`;
    }
    return { id: Number(row?.id), muted: muted.map((a) => a.key) };
  });
}

/** Ends a mute now (kept as history); false when there was no such mute in force. */
export async function unmuteAlerts(sql: Sql, id: number, now: Date): Promise<boolean> {
  return await sql.begin(async (tx) => {
    await lockAlerts(tx);
    const { count } = await tx`UPDATE alert_mutes SET until = ${now} WHERE id = ${id} AND until > ${now}`;
    return count > 0;
  });
}
