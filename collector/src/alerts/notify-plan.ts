import type { AlertEvent, Mute, Plan, PlannedNotification } from "@infrastructor/lib/alerts/alert.ts";
import type { Notification, NotificationKind } from "@infrastructor/lib/notify/channel.ts";
import { formatAge } from "@infrastructor/mcp/answer/provenance.ts";
import { firstStep } from "@infrastructor/mcp/tools/fleet/first-steps.ts";
import { SEVERITIES } from "@infrastructor/mcp/tools/fleet/severity.ts";
import { groupBy } from "@infrastructor/shared/group-by.ts";

export interface PlanContext {
  now: Date;
  mutes: readonly Mute[];
  /** A device's tags (from its inventory or the operator's config), for mutes by tag. */
  tagsOf: (device: string) => readonly string[];
  /** Devices whose host_down alert is firing: their other alerts are inhibited. */
  down: ReadonlySet<string>;
  /**
   * This many alerts or more with the same news of one rule in one evaluation make one notification:
   * on as many hosts (a dead switch), or on one (a Docker daemon that took its 40 containers down, or a
   * compromised host reporting thousands of them: never thousands of messages).
   */
  groupAtLeast: number;
}

/**
 * Turns one evaluation's events into notifications: muted ones dropped, a down host's other alerts
 * inhibited (its containers and metrics are down because it is), and the same news of one rule for many
 * alerts at once grouped into one notification that names the hosts. So one evaluation sends at most
 * one notification per kind, rule and severity, whatever the fleet reports.
 */
export function planNotifications(events: readonly AlertEvent[], ctx: PlanContext): Plan {
  const suppressed: Plan["suppressed"] = [];
  const kept: AlertEvent[] = [];
  for (const event of events) {
    const a = event.alert;
    if (ctx.mutes.some((m) => muteMatches(m, a.device, a.rule, a.key, ctx))) {
      suppressed.push({ event, reason: "muted" });
    } else if (a.rule !== "host_down" && ctx.down.has(a.device)) {
      suppressed.push({ event, reason: "inhibited" });
    } else kept.push(event);
  }
  const groups = groupBy(kept, (event) => `${kindOf(event)}|${event.alert.rule}|${event.alert.severity}`);
  const notifications: PlannedNotification[] = [];
  for (const group of groups.values()) {
    if (group.length >= ctx.groupAtLeast) notifications.push(grouped(group, ctx.now));
    else for (const event of group) notifications.push(single(event));
  }
  // Worst first: a channel that shows the newest on top still reads the critical ones at once.
  const rank = (n: Notification): number => SEVERITIES.indexOf(n.severity);
  notifications.sort((a, b) => rank(a) - rank(b) || a.title.localeCompare(b.title));
  return { notifications, suppressed };
}

export function muteMatches(
  m: Mute,
  device: string,
  rule: string,
  key: string,
  ctx: Pick<PlanContext, "now" | "tagsOf">,
): boolean {
  if (m.until.getTime() <= ctx.now.getTime()) return false;
  if (m.device !== null && m.device !== device) return false;
  if (m.rule !== null && m.rule !== rule) return false;
  if (m.key !== null && m.key !== key) return false;
  if (m.tag !== null && !ctx.tagsOf(device).includes(m.tag)) return false;
  return true;
}

function kindOf(event: AlertEvent): NotificationKind {
  if (event.kind === "resolved") return "resolved";
  if (event.kind === "flapping") return "flapping";
  return "firing"; // firing, a repeat, a change of severity
}

const LABEL: Record<NotificationKind, string> = {
  firing: "",
  resolved: "RESOLVED ",
  acknowledged: "ACKNOWLEDGED ",
  flapping: "FLAPPING ",
  test: "TEST ",
};

function single(event: AlertEvent): PlannedNotification {
  const a = event.alert;
  const kind = kindOf(event);
  const head = `[${LABEL[kind]}${a.severity.toUpperCase()}] ${a.device}: ${a.what}`;
  return {
    dedupKey: `${a.key}|${event.kind}|${event.at.toISOString()}`,
    kind,
    severity: a.severity,
    title: head,
    body: bodyOf(event),
    hosts: [a.device],
    at: event.at,
    alertKeys: [a.key],
  };
}

function grouped(group: AlertEvent[], now: Date): PlannedNotification {
  const first = group[0] as AlertEvent;
  const kind = kindOf(first);
  const hosts = [...new Set(group.map((e) => e.alert.device))].sort();
  const shown =
    hosts.length > 12 ? `${hosts.slice(0, 12).join(", ")} and ${hosts.length - 12} more` : hosts.join(", ");
  const a = first.alert;
  const lines = [
    `${group.length} alerts on ${hosts.length === 1 ? "" : `${hosts.length} hosts: `}${shown}`,
    ...group.slice(0, 12).map((e) => `- ${e.alert.device}: ${e.alert.what} (${e.alert.evidence})`),
    group.length > 12 ? `- and ${group.length - 12} more` : "",
    kind === "resolved" ? "" : `First step: ${firstStep(a.rule)}`,
  ];
  // Many hosts: what they share. One host with many: how many, and the first as an example.
  const head =
    hosts.length > 1
      ? `${hosts.length} hosts: ${a.what}`
      : `${a.device}: ${group.length} alerts, e.g. ${a.what}`;
  return {
    dedupKey: `${a.rule}|${first.kind}|${a.severity}|${now.toISOString()}|group`,
    kind,
    severity: a.severity,
    title: `[${LABEL[kind]}${a.severity.toUpperCase()}] ${head}`,
    body: lines.filter((l) => l !== "").join("\n"),
    hosts,
    at: first.at,
    alertKeys: group.map((e) => e.alert.key),
  };
}

function bodyOf(event: AlertEvent): string {
  const a = event.alert;
  const since = a.firingSince ?? a.activeSince;
  const age = (from: Date): string => formatAge((event.at.getTime() - from.getTime()) / 1000);
  if (event.kind === "resolved")
    return `Resolved at ${event.at.toISOString()}; it had fired since ${since.toISOString()} (${age(since)}).\nWas: ${a.evidence}`;
  if (event.kind === "flapping")
    return `Changed state ${a.flips.length} times recently; notifications pause until it has been steady for a while.\n${a.evidence}\nFirst step: ${firstStep(a.rule)}`;
  const lead =
    event.kind === "repeat"
      ? "Still firing"
      : event.kind === "severity_changed"
        ? `Now ${a.severity}`
        : "Firing";
  return [
    `${lead} since ${since.toISOString()} (${age(since)}), ${a.severity}, on ${a.device} (${a.domain}).`,
    a.evidence,
    `First step: ${firstStep(a.rule)}`,
  ].join("\n");
}
