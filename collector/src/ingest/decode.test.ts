import { describe, expect, test } from "bun:test";
import { systemEnvelope } from "../../../test/support/envelopes.ts";
import { decodeMessage } from "./decode.ts";

const limits = { maxMessageBytes: 64 * 1024, maxFutureSkewMs: 5 * 60_000 };
const now = Date.parse("2026-11-25T12:00:00Z");
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

function decode(subject: string, value: unknown) {
  const payload = value instanceof Uint8Array ? value : encode(value);
  return decodeMessage(subject, payload, limits, now);
}

describe("decodeMessage", () => {
  test("accepts a valid system envelope and types its time", () => {
    const result = decode("infra.v1.web1.system", systemEnvelope("web1", 3, now - 1000));
    expect(result.kind).toBe("accepted");
    if (result.kind !== "accepted") return;
    expect(result.domain).toBe("system");
    expect(result.collectedAt.getTime()).toBe(now - 1000);
    expect(result.envelope.seq).toBe(3);
  });

  test("each kind of bad input gets its own reason", () => {
    const good = systemEnvelope("web1", 0, now);
    const cases: [string, string, unknown][] = [
      ["oversized", "infra.v1.web1.system", new Uint8Array(limits.maxMessageBytes + 1)],
      ["malformed_json", "infra.v1.web1.system", new TextEncoder().encode("{not json")],
      ["invalid_envelope", "infra.v1.web1.system", { ...good, seq: -1 }],
      ["spoofed_host", "infra.v1.web1.system", { ...good, host: "db1" }],
      ["domain_mismatch", "infra.v1.web1.docker", good],
      ["unknown_domain", "infra.v1.web1.teapot", { ...good, domain: "teapot" }],
      ["invalid_data", "infra.v1.web1.system", { ...good, data: { ...(good.data as object), load: null } }],
      ["bad_subject", "infra.v2.web1.system", good],
      [
        "future_timestamp",
        "infra.v1.web1.system",
        { ...good, collected_at: new Date(now + 3_600_000).toISOString() },
      ],
    ];
    for (const [reason, subject, payload] of cases) {
      const result = decode(subject, payload);
      expect([reason, result.kind === "rejected" ? result.reason : "accepted"]).toEqual([reason, reason]);
    }
  });

  test("invalid bytes in UTF-8 are malformed, not a crash", () => {
    const result = decode("infra.v1.web1.system", new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(result.kind === "rejected" && result.reason).toBe("malformed_json");
  });

  test("a failed collection (data null) is accepted only with errors that say why", () => {
    const failed = { ...systemEnvelope("web1", 1, now), data: null };
    expect(decode("infra.v1.web1.system", failed).kind).toBe("rejected");
    const explained = { ...failed, errors: [{ code: "READ_FAILED", message: "/proc/stat: EACCES" }] };
    expect(decode("infra.v1.web1.system", explained).kind).toBe("accepted");
  });

  test("the schema detail names the failing field", () => {
    const good = systemEnvelope("web1", 0, now);
    const result = decode("infra.v1.web1.system", {
      ...good,
      data: { ...(good.data as object), process_count: 1.5 },
    });
    expect(result.kind === "rejected" && result.detail).toContain("process_count");
  });
});
