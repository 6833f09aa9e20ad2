import type { Envelope } from "@infrastructor/shared/envelope.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";

const MAX_ERRORS = 100;

/**
 * A copy of `envelope` that also tells the collector how many envelopes the spool had to drop, so a
 * gap in the data shows up as a reported loss instead of a silent one. Left unchanged when its errors
 * list is already full (the report then rides on a later envelope).
 */
export function withDropReport(envelope: Envelope, dropped: number): Envelope {
  if (envelope.errors.length >= MAX_ERRORS) return envelope;
  return {
    ...envelope,
    errors: [
      ...envelope.errors,
      {
        code: ErrorCode.SPOOL_DROPPED,
        message: `the agent's spool was full or unreadable and dropped ${dropped} envelope(s)`,
        source: "spool",
        details: { dropped },
      },
    ],
  };
}
