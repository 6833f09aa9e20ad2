import type { Notification, NotificationSeverity } from "./channel.ts";

/**
 * The words of a message, shared by every channel so a resolved alert reads the same on a phone and in
 * a chat room. Strings here are plain text; each channel escapes them for its own format.
 */

const KIND_PREFIX: Record<Notification["kind"], string> = {
  firing: "",
  resolved: "Resolved: ",
  acknowledged: "Acknowledged: ",
  flapping: "Flapping: ",
  test: "Test: ",
};

/** One line: the kind when it is not plain firing, then the title. CR/LF and control characters removed. */
export function headline(n: Notification): string {
  return oneLine(`${KIND_PREFIX[n.kind]}${n.title}`);
}

/** The body, then the hosts and the time: what, where, since when (issue 15, "Channels"). */
export function detailText(n: Notification): string {
  const lines = [n.body.trim()];
  if (n.hosts.length > 0) lines.push(`Hosts: ${n.hosts.join(", ")}`);
  lines.push(`${n.kind === "resolved" ? "Ended" : "Since"}: ${n.at.toISOString()}`);
  return lines.filter((l) => l !== "").join("\n");
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
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
}

/** Cuts to at most `max` characters (code points), with an ellipsis when cut: services reject long fields. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
