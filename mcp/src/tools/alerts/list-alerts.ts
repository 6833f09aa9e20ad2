import { failingChannelsLine, listAlerts } from "@infrastructor/lib/alerts/alert-list.ts";
import { z } from "zod";
import { ageSeconds, formatAge } from "../../answer/provenance.ts";
import { DeviceArg, SinceArg, sinceToDate } from "../../args/names.ts";
import { defineTool, READ_ONLY } from "../tool.ts";
import {
  ActiveAlertSchema,
  AlertEventSchema,
  AlertsProvenanceSchema,
  FailingChannelSchema,
} from "./alert-schemas.ts";

export const listAlertsTool = defineTool({
  name: "list_alerts",
  title: "List alerts",
  description:
    "Lists the alerts the collector's alert engine follows: firing first (most severe, oldest first), then " +
    "pending, then recently resolved; with the history of alert events (fired, resolved, acknowledged, muted) " +
    "newest first. Filter by state, device, and `since` (30m, 6h, 2d or an ISO time; history of the last 24 h " +
    "otherwise). Use " +
    "an alert's key with acknowledge_alert or mute_alerts. channels_failing names the alert channels whose " +
    "notifications are not getting through (the user may not have heard of these alerts).",
  input: {
    state: z.enum(["pending", "firing", "resolved"]).optional(),
    device: DeviceArg.optional(),
    since: SinceArg.optional(),
  },
  output: {
    summary: z.object({ firing: z.number(), pending: z.number(), resolved: z.number(), events: z.number() }),
    alerts: z.array(ActiveAlertSchema),
    history: z.array(AlertEventSchema),
    channels_failing: z.array(FailingChannelSchema),
    provenance: AlertsProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const now = new Date();
    const list = await ctx.store.guard("list alerts", () =>
      listAlerts(
        ctx.sql,
        {
          state: args.state,
          device: args.device,
          since: args.since === undefined ? undefined : sinceToDate(args.since, now),
          historyLimit: 100,
        },
        now,
      ),
    );
    const count = (s: string) => list.alerts.filter((a) => a.state === s).length;
    const newest = list.alerts.reduce<string | null>(
      (m, a) => (m === null || a.updated_at > m ? a.updated_at : m),
      null,
    );
    const age = ageSeconds(newest === null ? null : new Date(newest), now);
    const lines = list.alerts.map(
      (a) =>
        `- ${a.state.toUpperCase()} ${a.severity} ${a.device}: ${a.what} (since ${a.firing_since ?? a.active_since}` +
        `${a.acked_by === null ? "" : `, acknowledged by ${a.acked_by}`}${a.flapping ? ", FLAPPING" : ""}) key ${a.key}`,
    );
    const events = list.history
      .slice(0, 20)
      .map(
        (e) =>
          `- ${e.at} ${e.kind}${e.suppressed ? ` (${e.suppressed})` : ""} ${e.key}${e.actor ? ` by ${e.actor}` : ""}`,
      );
    return {
      structured: {
        summary: {
          firing: count("firing"),
          pending: count("pending"),
          resolved: count("resolved"),
          events: list.history.length,
        },
        alerts: list.alerts,
        history: list.history,
        channels_failing: list.channels_failing,
        provenance: { source: "stored" as const, observed_at: newest, age_s: age },
      },
      text: [
        `${count("firing")} firing, ${count("pending")} pending, ${count("resolved")} resolved; stored${age === null ? "" : `, last change ${formatAge(age)} ago`}.`,
        ...[failingChannelsLine(list.channels_failing)].filter((l) => l !== null),
        ...lines,
        list.history.length === 0
          ? "No alert events in the period."
          : `History (newest first, ${list.history.length} events):`,
        ...events,
      ].join("\n"),
    };
  },
});
