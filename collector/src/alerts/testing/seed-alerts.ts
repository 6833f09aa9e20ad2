import type { Sql } from "postgres";

export interface SeedAlert {
  rule: string;
  device: string;
  subject: string;
  state?: "pending" | "firing" | "resolved";
  severity?: "critical" | "warning" | "info";
  /** When it became active; firing alerts fired then too. */
  since?: Date;
}

/**
 * Writes an alert row as the engine leaves it after an evaluation, plus its `firing` event, so the
 * surfaces' tests read and act on real rows without running evaluations. Returns the key.
 */
export async function seedAlert(sql: Sql, a: SeedAlert): Promise<string> {
  const key = `${a.rule}|${a.device}|${a.subject}`;
  const state = a.state ?? "firing";
  const severity = a.severity ?? "warning";
  const since = a.since ?? new Date(Date.now() - 600_000);
  const what = `${a.subject} on ${a.device}`;
  // A firing (or resolved) alert was told when it fired (notified_at): one still waiting for its group is not seeded.
  const fired = state === "pending" ? null : since;
  await sql`INSERT INTO alerts (key, rule, device, domain, severity, what, evidence, state, active_since,
      firing_since, resolved_at, notified_at)
    VALUES (${key}, ${a.rule}, ${a.device}, 'system', ${severity}, ${what}, 'seeded', ${state}, ${since},
      ${fired}, ${state === "resolved" ? new Date() : null}, ${fired})`;
  if (state !== "pending") {
    await sql`INSERT INTO alert_events (alert_key, kind, at, severity, what, evidence)
      VALUES (${key}, 'firing', ${since}, ${severity}, ${what}, 'seeded')`;
  }
  return key;
}
