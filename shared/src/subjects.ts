import { AppError, ErrorCode } from "./errors.ts";

/** Every telemetry subject starts with this; the stream captures `${SUBJECT_PREFIX}.>`. */
export const SUBJECT_PREFIX = "infra.v1";
export const SUBJECT_WILDCARD = `${SUBJECT_PREFIX}.>`;

/**
 * A host name as it appears in subjects and the device registry: one DNS label, lower case.
 * Dots would split a NATS subject token, so FQDNs are cut to their first label by the agent.
 */
export const HOST_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/;
/** Domain names are fixed identifiers (`system`, `docker`, ...). */
export const DOMAIN_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

export function telemetrySubject(host: string, domain: string): string {
  assertHost(host);
  if (!DOMAIN_PATTERN.test(domain)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `domain ${JSON.stringify(domain)} is not a valid subject token`,
    );
  }
  return `${SUBJECT_PREFIX}.${host}.${domain}`;
}

/** All subjects one host may publish on (the base of its NATS permissions). */
export function hostSubjectWildcard(host: string): string {
  return `${telemetrySubject(host, "x").slice(0, -2)}.>`;
}

/**
 * Reply inboxes. nats.js puts a request's replies under `inboxPrefix`; giving each host one of its own
 * lets its NATS credentials subscribe to that prefix only, so it can read its own JetStream acks and
 * nothing another client receives. `hosts` and `collector` are fixed tokens, so a host's prefix never
 * overlaps the collector's, whatever the host is called.
 */
export const INBOX_ROOT = "_INBOX";
export const COLLECTOR_INBOX_PREFIX = `${INBOX_ROOT}.collector`;

export function hostInboxPrefix(host: string): string {
  assertHost(host);
  return `${INBOX_ROOT}.hosts.${host}`;
}

function assertHost(host: string): void {
  if (!HOST_PATTERN.test(host)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `host ${JSON.stringify(host)} is not a valid subject token`,
    );
  }
}

export interface ParsedSubject {
  host: string;
  domain: string;
}

/** Parses `infra.v1.<host>.<domain>`; returns null for anything else. */
export function parseTelemetrySubject(subject: string): ParsedSubject | null {
  const parts = subject.split(".");
  if (parts.length !== 4 || `${parts[0]}.${parts[1]}` !== SUBJECT_PREFIX) return null;
  const host = parts[2] ?? "";
  const domain = parts[3] ?? "";
  if (!HOST_PATTERN.test(host) || !DOMAIN_PATTERN.test(domain)) return null;
  return { host, domain };
}

/** `Nats-Msg-Id` for one envelope: unique per agent run and sequence, so JetStream drops replays. */
export function messageId(host: string, domain: string, bootId: string, seq: number): string {
  return `${host}:${domain}:${bootId}:${seq}`;
}
