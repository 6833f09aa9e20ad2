import { printableLine, printableText } from "@infrastructor/shared/printable.ts";
import type { Notification, NotificationSeverity } from "./channel.ts";

/**
 * The words of a message come whole from the alert engine (collector/src/alerts/notify-plan.ts: the title
 * carries the kind and severity, the body says since when, where and the first step); a channel only
 * fits them to its format. These helpers are shared so every channel fits them the same way.
 */

/** The title on one line: CR/LF and control characters removed (it may end up in a header or a heading). */
export function headline(n: Notification): string {
  return oneLine(n.title);
}

/** The body as the engine wrote it, without surrounding blank lines or control characters. */
export function detailText(n: Notification): string {
  return printableText(n.body).trim();
}

/** Whether the message should get the service's loud treatment: only a firing (or flapping) critical does. */
export function isLoud(n: Notification): boolean {
  return n.severity === "critical" && (n.kind === "firing" || n.kind === "flapping");
}

/** The severity a receiver should see: a resolved or acknowledged alert is news, not an emergency. */
export function effectiveSeverity(n: Notification): NotificationSeverity {
  return n.kind === "resolved" || n.kind === "acknowledged" ? "info" : n.severity;
}

/** Strips CR, LF and other control characters: host-controlled text must not break a header or a line. */
export function oneLine(text: string): string {
  return printableLine(text).trim();
}

/** Cuts to at most `max` characters (code points), with an ellipsis when cut: services reject long fields. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
