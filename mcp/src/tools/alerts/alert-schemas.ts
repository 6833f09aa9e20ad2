import { z } from "zod";

/** An alert still followed, as list_alerts and infra://alerts show it (shared/lib/alerts/alert-list.ts). */
export const ActiveAlertSchema = z.object({
  key: z.string().describe("rule|device|subject: what acknowledge_alert and mute_alerts take"),
  rule: z.string(),
  device: z.string(),
  domain: z.string(),
  severity: z.enum(["critical", "warning", "info"]),
  state: z.enum(["pending", "firing", "resolved"]),
  what: z.string(),
  evidence: z.string(),
  active_since: z.string(),
  firing_since: z.string().nullable(),
  resolved_at: z.string().nullable(),
  acked_at: z.string().nullable(),
  acked_by: z.string().nullable(),
  flapping: z.boolean(),
  updated_at: z.string(),
});

export const AlertEventSchema = z.object({
  id: z.number(),
  key: z.string(),
  kind: z
    .string()
    .describe("firing, resolved, repeat, flapping, severity_changed, acknowledged, muted, inhibited"),
  at: z.string(),
  severity: z.string(),
  what: z.string(),
  evidence: z.string(),
  suppressed: z.string().nullable().describe("why it was not notified: muted or inhibited"),
  actor: z.string().nullable().describe("who acknowledged or muted"),
});

/** Where the answer came from: the alert tables, as of the engine's newest write. */
export const AlertsProvenanceSchema = z.object({
  source: z.literal("stored"),
  observed_at: z.string().nullable().describe("the newest write to the alerts (the engine's last change)"),
  age_s: z.number().nullable(),
});

export const FailingChannelSchema = z.object({
  channel: z.string(),
  failing_since: z.string(),
  failures: z.number(),
  last_error: z.string().nullable().describe("the channel's own message; never a secret"),
  last_fail_at: z.string().nullable(),
});
