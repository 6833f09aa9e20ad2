import { randomUUID } from "node:crypto";
import { cleanStrings } from "@infrastructor/lib/collect/clean-text.ts";
import { ENVELOPE_VERSION, type Envelope, type EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import type { PollResult } from "./safe-collect.ts";
import { AGENT_VERSION } from "./version.ts";

export interface EnvelopeFactory {
  /** Random per agent start, so this run's seq=0 never collides with an earlier run's. */
  readonly bootId: string;
  /** Wraps one poll result; seq counts per domain from 0. */
  build(domain: string, result: PollResult, collectedAt: Date): Envelope;
}

export function createEnvelopeFactory(options: { host: string; bootId?: string }): EnvelopeFactory {
  const bootId = options.bootId ?? randomUUID();
  const seqs = new Map<string, number>();
  return {
    bootId,
    build(domain: string, result: PollResult, collectedAt: Date): Envelope {
      const seq = seqs.get(domain) ?? 0;
      seqs.set(domain, seq + 1);
      return {
        v: ENVELOPE_VERSION,
        host: options.host,
        domain,
        seq,
        boot_id: bootId,
        agent_version: AGENT_VERSION,
        collected_at: collectedAt.toISOString(),
        // No NUL or unpaired surrogate leaves the host, whichever collector read it: the hub's
        // database refuses the whole message around one.
        data: result.unavailable ? null : cleanStrings(result.data),
        errors: cleanStrings(fitErrors(result.errors)),
        ...(result.unavailable ? { unavailable: cleanStrings(result.unavailable) } : {}),
      };
    },
  };
}

const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Keeps a collector's errors inside EnvelopeSchema's limits: the collector rejects a whole envelope
 * that breaks them, which would lose the data beside a merely over-long error message.
 */
function fitErrors(errors: EnvelopeError[]): EnvelopeError[] {
  const fitted = errors.slice(0, 99).map((e) => ({
    ...e,
    code: CODE.test(e.code) ? e.code : ErrorCode.INTERNAL,
    message: e.message.slice(0, 4096),
    ...(e.source === undefined ? {} : { source: e.source.slice(0, 128) }),
  }));
  if (errors.length > 99) {
    fitted.push({ code: ErrorCode.INTERNAL, message: `${errors.length - 99} more errors left out` });
  }
  return fitted;
}
