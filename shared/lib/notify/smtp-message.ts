import { createHash } from "node:crypto";
import type { Notification } from "./channel.ts";
import { oneLine, truncate } from "./message-text.ts";

/** The parts of one alert mail, built without I/O: subject, plain-text body and a Message-ID. */
export interface SmtpMessage {
  subject: string;
  text: string;
  messageId: string;
}

const SUBJECT_MAX = 200;

// In the body a newline is fine; the other controls (a terminal escape from a log line) are not.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const BODY_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function smtpMessage(notification: Notification, from: string): SmtpMessage {
  const prefix =
    notification.kind === "firing"
      ? notification.severity.toUpperCase()
      : `${notification.severity.toUpperCase()} ${notification.kind}`;
  const hosts = notification.hosts.map(headerLine).join(", ");
  const when = notification.kind === "resolved" ? "Resolved at" : "Since";
  const text = [
    notification.body.replace(/\r\n?/g, "\n").replace(BODY_CONTROLS, ""),
    "",
    ...(hosts === "" ? [] : [`Hosts: ${hosts}`]),
    `${when}: ${notification.at.toISOString()}`,
    "",
  ].join("\n");
  return {
    subject: truncate(`[${prefix}] ${headerLine(notification.title)}`, SUBJECT_MAX),
    text,
    messageId: messageIdFor(notification.dedupKey, from),
  };
}

/**
 * The same dedup key always gives the same Message-ID, so a resend after a crash is recognisable
 * (and dropped by mail systems that dedupe on it). Hashed: the key may hold any character, and a
 * Message-ID must be an atom `<left@right>`.
 */
export function messageIdFor(dedupKey: string, from: string): string {
  const digest = createHash("sha256").update(dedupKey).digest("hex").slice(0, 40);
  const domain = from.slice(from.lastIndexOf("@") + 1);
  return `<alert.${digest}@${domain}>`;
}

/**
 * A header's text on one line: a CR, LF or any other control character could end the header and start
 * another (header injection). The channels' one filter (message-text.ts), with runs of spaces closed up.
 */
function headerLine(text: string): string {
  return oneLine(text).replace(/ {2,}/g, " ");
}
