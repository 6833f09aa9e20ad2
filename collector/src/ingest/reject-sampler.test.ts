import { expect, test } from "bun:test";
import { createMetrics } from "../metrics.ts";
import { MAX_HOST_LABELS, REJECT_PAYLOAD_PREFIX_BYTES, RejectSampler } from "./reject-sampler.ts";

function sampler(known: (host: string) => boolean) {
  let now = 1_000_000;
  const metrics = createMetrics();
  const s = new RejectSampler({ perHostMinute: 3, metrics, isKnownHost: known, now: () => now });
  const msg = (host: string, seq = 1) => ({
    subject: `infra.v1.${host}.system`,
    seq,
    data: new Uint8Array(10_000).fill(0),
  });
  return { s, metrics, msg, advance: (ms: number) => (now += ms) };
}

const labelsOf = async (metrics: ReturnType<typeof createMetrics>): Promise<string[]> =>
  (await metrics.hostRejects.get()).values.map((v) => String(v.labels.host));

test("each known host stores its budget a minute, then counts; the next minute stores again", async () => {
  const { s, metrics, msg, advance } = sampler(() => true);
  const stored = Array.from({ length: 5 }, () => s.admit(msg("web1"), "malformed_json", "x"));
  expect(stored.map((r) => r !== null)).toEqual([true, true, true, false, false]);
  expect(stored[0]?.payload.byteLength).toBe(REJECT_PAYLOAD_PREFIX_BYTES);
  expect(stored[0]?.payloadBytes).toBe(10_000);
  expect(s.admit(msg("web2"), "malformed_json", "x")).not.toBeNull(); // another host has its own
  advance(60_000);
  expect(s.admit(msg("web1"), "malformed_json", "x")).not.toBeNull();
  const values = (await metrics.hostRejects.get()).values;
  const of = (host: string, outcome: string) =>
    values.find((v) => v.labels.host === host && v.labels.outcome === outcome)?.value;
  expect([of("web1", "stored"), of("web1", "counted")]).toEqual([4, 2]);
});

test("20,000 invented host names share one budget and one label", async () => {
  const { s, metrics, msg } = sampler(() => false);
  let stored = 0;
  for (let i = 0; i < 20_000; i++) if (s.admit(msg(`fake${i}`), "malformed_json", "x") !== null) stored++;
  expect(stored).toBe(3);
  expect(await labelsOf(metrics)).toEqual(["other", "other"]);
});

test("known hosts beyond the label cap are labelled other; a detail or subject with NUL is cleaned", async () => {
  const { s, metrics, msg } = sampler(() => true);
  for (let i = 0; i < MAX_HOST_LABELS + 50; i++) s.admit(msg(`h${i}`), "malformed_json", "x");
  const labels = new Set(await labelsOf(metrics));
  expect(labels.size).toBe(MAX_HOST_LABELS + 1);
  expect(labels.has("other")).toBe(true);
  const record = s.admit(
    { subject: "infra.v1.h0.sys\u0000tem", seq: 9, data: new Uint8Array(1) },
    "bad_subject",
    "nul\u0000",
  );
  expect([record?.subject, record?.detail]).toEqual(["infra.v1.h0.sys\ufffdtem", "nul\ufffd"]);
});
