import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * Room kept for the message headers (Nats-Msg-Id, about 200 bytes) within the server's max_payload,
 * which nats.js counts as headers plus payload.
 */
export const HEADER_ALLOWANCE_BYTES = 1024;

export interface FittedPayload {
  envelope: Envelope;
  payload: Uint8Array;
  /** The original envelope's encoded size when it was replaced by a PAYLOAD_TOO_LARGE envelope. */
  replacedBytes: number | null;
}

const encoder = new TextEncoder();

/**
 * The bytes to publish for `envelope`: the envelope itself when it fits in `maxPayload`, otherwise a
 * small envelope with the same identity (host, domain, boot_id, seq, so the same Nats-Msg-Id) saying
 * it was too large. One oversized sample then costs that sample, never the agent's whole output: the
 * server would refuse it on every retry, and everything behind it would wait.
 */
export function fitPayload(envelope: Envelope, maxPayload: number): FittedPayload {
  const payload = encoder.encode(JSON.stringify(envelope));
  const budget = Math.max(0, maxPayload - HEADER_ALLOWANCE_BYTES);
  if (payload.length <= budget) return { envelope, payload, replacedBytes: null };
  const replacement = tooLargeEnvelope(envelope, payload.length, budget);
  return {
    envelope: replacement,
    payload: encoder.encode(JSON.stringify(replacement)),
    replacedBytes: payload.length,
  };
}

/** `data: null` and one PAYLOAD_TOO_LARGE error naming the sizes; the original errors are counted only. */
export function tooLargeEnvelope(envelope: Envelope, bytes: number, limitBytes: number): Envelope {
  const { unavailable: _unavailable, ...identity } = envelope;
  return {
    ...identity,
    data: null,
    errors: [
      {
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        message: `the ${envelope.domain} sample was ${bytes} bytes, over the ${limitBytes} bytes the NATS server accepts; its data was not sent`,
        source: "publisher",
        details: { bytes, limit_bytes: limitBytes, errors_left_out: envelope.errors.length },
      },
    ],
  };
}
