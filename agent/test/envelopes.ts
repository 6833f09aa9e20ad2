import { ENVELOPE_VERSION, type Envelope } from "@infrastructor/shared/envelope.ts";

/** A valid envelope for spool and publisher tests; `data.n` repeats the seq for easy checks. */
export function testEnvelope(seq: number, overrides: Partial<Envelope> = {}): Envelope {
  return {
    v: ENVELOPE_VERSION,
    host: "testhost",
    domain: "counter",
    seq,
    boot_id: "00000000-0000-4000-8000-000000000000",
    agent_version: "test",
    collected_at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    data: { n: seq },
    errors: [],
    ...overrides,
  };
}
