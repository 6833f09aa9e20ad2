import { type Domain, DomainSchemas, isKnownDomain } from "@infrastructor/shared/domains.ts";
import { type Envelope, EnvelopeSchema } from "@infrastructor/shared/envelope.ts";
import { parseTelemetrySubject } from "@infrastructor/shared/subjects.ts";
import type { z } from "zod";
import { cleanJson, cleanText, MAX_JSON_DEPTH, TOO_DEEP } from "./clean-json.ts";

/** Why a message was refused; stored in ingest_rejects.reason and counted per reason in /metrics. */
export const RejectReason = {
  OVERSIZED: "oversized",
  MALFORMED_JSON: "malformed_json",
  INVALID_ENVELOPE: "invalid_envelope",
  BAD_SUBJECT: "bad_subject",
  SPOOFED_HOST: "spoofed_host",
  DOMAIN_MISMATCH: "domain_mismatch",
  UNKNOWN_DOMAIN: "unknown_domain",
  INVALID_DATA: "invalid_data",
  FUTURE_TIMESTAMP: "future_timestamp",
  STALE_TIMESTAMP: "stale_timestamp",
  TOO_DEEP: "too_deep",
  DB_REJECTED: "db_rejected",
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

export interface Accepted {
  kind: "accepted";
  envelope: Envelope;
  domain: Domain;
  collectedAt: Date;
}

export interface Rejected {
  kind: "rejected";
  reason: RejectReason;
  detail: string;
}

export interface DecodeLimits {
  maxMessageBytes: number;
  maxFutureSkewMs: number;
  /**
   * Oldest collected_at accepted, as an age: the raw retention. An older sample's rows would be
   * deleted by the next retention run, yet it would make the rollups refresh from its date (1970).
   */
  maxPastAgeMs: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Turns one raw message into a validated envelope, or says exactly why not. Pure: no I/O, so every
 * rule here is tested without servers. The subject is the authority on who sent it (NATS permissions
 * bind a host's credentials to its subjects), so an envelope claiming another host is refused.
 */
export function decodeMessage(
  subject: string,
  payload: Uint8Array,
  limits: DecodeLimits,
  nowMs: number,
): Accepted | Rejected {
  if (payload.byteLength > limits.maxMessageBytes) {
    return reject(RejectReason.OVERSIZED, `${payload.byteLength} bytes > limit ${limits.maxMessageBytes}`);
  }
  const parsedSubject = parseTelemetrySubject(subject);
  if (!parsedSubject)
    return reject(RejectReason.BAD_SUBJECT, `subject ${subject} is not infra.v1.<host>.<domain>`);

  let json: unknown;
  let text: string;
  try {
    text = decoder.decode(payload);
    json = JSON.parse(text);
  } catch (err) {
    return reject(RejectReason.MALFORMED_JSON, err instanceof Error ? err.message : String(err));
  }
  // Before any schema or database sees it: PostgreSQL refuses NUL and lone surrogates in text and
  // jsonb, and overflows its stack on deep nesting; each would fail the batch it rides in.
  const cleaned = cleanJson(json, text.includes("\\u") ? "clean" : "keep");
  if (cleaned === TOO_DEEP) {
    return reject(RejectReason.TOO_DEEP, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  json = cleaned;

  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) return reject(RejectReason.INVALID_ENVELOPE, describeIssues(envelope.error));
  const value = envelope.data;

  if (value.host !== parsedSubject.host) {
    return reject(RejectReason.SPOOFED_HOST, `envelope host ${value.host} published on ${subject}`);
  }
  if (value.domain !== parsedSubject.domain) {
    return reject(RejectReason.DOMAIN_MISMATCH, `envelope domain ${value.domain} published on ${subject}`);
  }
  if (!isKnownDomain(value.domain))
    return reject(RejectReason.UNKNOWN_DOMAIN, `no schema for domain ${value.domain}`);

  const collectedAt = new Date(value.collected_at);
  if (collectedAt.getTime() - nowMs > limits.maxFutureSkewMs) {
    return reject(
      RejectReason.FUTURE_TIMESTAMP,
      `collected_at ${value.collected_at} is ahead of the collector's clock`,
    );
  }

  if (nowMs - collectedAt.getTime() > limits.maxPastAgeMs) {
    return reject(
      RejectReason.STALE_TIMESTAMP,
      `collected_at ${value.collected_at} is older than the raw retention (${Math.round(limits.maxPastAgeMs / 86_400_000)} days)`,
    );
  }

  // data: null means the domain is unavailable on the host, or its collection failed as a whole;
  // `unavailable` or errors[] say which and why.
  if (value.data === null) {
    if (value.errors.length === 0 && !value.unavailable) {
      return reject(RejectReason.INVALID_DATA, "data is null but neither unavailable nor errors say why");
    }
    return { kind: "accepted", envelope: value, domain: value.domain, collectedAt };
  }
  if (value.unavailable) return reject(RejectReason.INVALID_DATA, "unavailable comes with data: null");
  const data = DomainSchemas[value.domain].safeParse(value.data);
  if (!data.success) return reject(RejectReason.INVALID_DATA, describeIssues(data.error));
  return { kind: "accepted", envelope: { ...value, data: data.data }, domain: value.domain, collectedAt };
}

/** The detail is stored as text: never a NUL (PostgreSQL refuses it), however the input was crafted. */
function reject(reason: RejectReason, detail: string): Rejected {
  return { kind: "rejected", reason, detail: cleanText(detail.slice(0, 2000)) };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}
