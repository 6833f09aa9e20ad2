import { readFileSync } from "node:fs";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { createTransport } from "nodemailer";
import { type Channel, ChannelError, type Notification } from "./channel.ts";
import { smtpMessage } from "./smtp-message.ts";
import { parseSmtpUrl, type SmtpSettings } from "./smtp-settings.ts";

/**
 * E-mail through nodemailer (a well-kept SMTP client: STARTTLS, AUTH, dot-stuffing, MIME encoding).
 * STARTTLS is required on smtp:// unless the URL opts out with `starttls=no` (then without
 * credentials); certificates are verified against the system's roots, or `?ca=` alone.
 * One connection per send: alerts are rare, and a pooled connection would outlive a changed password.
 */
export function smtpChannel(name: string, url: URL): Channel {
  const settings = parseSmtpUrl(name, url);
  const ca = settings.caFile === null ? undefined : readCa(name, settings.caFile);
  const { timeoutMs } = settings;
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "implicit",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.user === null ? undefined : { user: settings.user, pass: settings.pass ?? "" },
    // `ca` replaces the system's roots: with a private CA, only that CA is trusted.
    tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ...(ca === undefined ? {} : { ca }) },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // Never: nodemailer's debug log would carry the AUTH exchange.
    logger: false,
    debug: false,
    transactionLog: false,
  });
  const where = `${settings.host}:${settings.port}`;

  return {
    name,
    scheme: url.protocol.replace(/:$/, ""),
    redacted: settings.redacted,
    async send(notification: Notification, signal?: AbortSignal): Promise<void> {
      const message = smtpMessage(notification, settings.from);
      let info: { accepted: unknown[]; rejected: unknown[] };
      try {
        info = await transport.sendMail({
          from: settings.from,
          to: settings.to,
          envelope: { from: settings.from, to: settings.to },
          subject: message.subject,
          text: message.text,
          messageId: message.messageId,
          xMailer: false,
          // The message is built from our strings only: no attachment may read a file or a URL.
          disableFileAccess: true,
          disableUrlAccess: true,
          signal,
        });
      } catch (error) {
        throw toChannelError(error, `channel ${name} (smtp ${where})`, secretsOf(settings));
      }
      if (info.rejected.length > 0) {
        // Some recipients got it: a retry would mail them twice, so the rest is the operator's to fix.
        throw new ChannelError(
          `channel ${name} (smtp ${where}): the server refused ${info.rejected.map(String).join(", ")} (delivered to ${info.accepted.length} other recipient(s))`,
          "permanent",
        );
      }
    },
  };
}

function readCa(name: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read failed";
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `channel ${name} (smtp): cannot read ?ca= file ${file} (${code})`,
      {
        details: { channel: name, scheme: "smtp" },
      },
    );
  }
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

/**
 * TLS refused or unverified (no STARTTLS, an unknown CA) and a broken connection are `retry` whatever
 * reply came with them: a stripped STARTTLS or a lapsed certificate may pass, nothing was sent in
 * clear, and the engine reports a channel that keeps failing. Otherwise the reply code decides
 * (RFC 5321: 4yz transient, 5yz permanent, except 503 "bad sequence", the session's state rather
 * than the message, as nodemailer's isPermanentResponseCode also says); no reply (refused, timed
 * out, aborted) is `retry`. The text is nodemailer's message with every form of the password cut
 * out: a server may echo what it was sent.
 */
export function toChannelError(error: unknown, prefix: string, secrets: readonly string[]): ChannelError {
  const failure = (typeof error === "object" && error !== null ? error : {}) as SmtpFailure;
  const code = failure.code ?? "error";
  const reply = failure.responseCode;
  const text = `${prefix}: ${reply === undefined ? code : `${code} ${reply}`}: ${scrub(String(failure.message ?? error), secrets).slice(0, 300)}`;
  if (code === "ETLS" || code === "ESOCKET" || code === "ECONNECTION") return new ChannelError(text, "retry");
  if (reply !== undefined && reply >= 500 && reply !== 503) return new ChannelError(text, "permanent");
  // Missing credentials or a bad configuration are not cured by waiting.
  if (code === "ENOAUTH" || code === "ECONFIG") return new ChannelError(text, "permanent");
  return new ChannelError(text, "retry");
}

/** The password as it may appear in any text: as is, percent-encoded, and in the AUTH PLAIN/LOGIN base64. */
function secretsOf(settings: SmtpSettings): string[] {
  if (settings.pass === null || settings.pass === "") return [];
  const { user, pass } = settings;
  const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
  return [pass, encodeURIComponent(pass), b64(pass), b64(`\u0000${user ?? ""}\u0000${pass}`)];
}

function scrub(text: string, secrets: readonly string[]): string {
  // Longest first, so a shorter form inside a longer one does not leave a fragment behind.
  return [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((out, secret) => out.split(secret).join("***"), text);
}
