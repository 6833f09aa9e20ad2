import { describe, expect, test } from "bun:test";
import { domainEnvelope, systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { MAX_JSON_DEPTH } from "./clean-json.ts";
import { decodeMessage } from "./decode.ts";

const limits = { maxMessageBytes: 64 * 1024, maxFutureSkewMs: 5 * 60_000, maxPastAgeMs: 30 * 86_400_000 };
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
      ["stale_timestamp", "infra.v1.web1.system", { ...good, collected_at: "1970-01-01T00:00:00Z" }],
      [
        "stale_timestamp",
        "infra.v1.web1.system",
        { ...good, collected_at: new Date(now - limits.maxPastAgeMs - 60_000).toISOString() },
      ],
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

  test("a sample just inside the raw retention is still accepted", () => {
    const old = systemEnvelope("web1", 0, now - limits.maxPastAgeMs + 60_000);
    expect(decode("infra.v1.web1.system", old).kind).toBe("accepted");
  });

  test("NUL and lone surrogates in free text become U+FFFD: the entry is kept, storable", () => {
    const entry = {
      time: new Date(now).toISOString(),
      entry_id: "j:1",
      priority: 6,
      facility: 3,
      hostname: "web1",
      unit: "a\u0000.service",
      identifier: "app",
      pid: 7,
      message: "binary\u0000field \ud800 end",
    };
    const data = { source: "journal", path: "", read: { ok: true, entries: [entry], backlog: "drained" } };
    const envelope = domainEnvelope("web1", "logs", data, {
      collected_at: new Date(now).toISOString(),
      errors: [{ code: "READ_FAILED", message: "x\u0000y", details: { "k\u0000": "v\u0000" } }],
    });
    const result = decode("infra.v1.web1.logs", envelope);
    if (result.kind !== "accepted") throw new Error(`rejected: ${JSON.stringify(result)}`);
    const stored = JSON.stringify(result.envelope);
    expect(stored).not.toContain("\\u0000");
    expect(stored).not.toMatch(/\\ud[89ab]/);
    const kept = (result.envelope.data as typeof data).read.entries[0];
    expect(kept?.message).toBe("binary\ufffdfield \ufffd end");
    expect(kept?.unit).toBe("a\ufffd.service");
    expect(result.envelope.errors[0]?.details).toEqual({ "k\ufffd": "v\ufffd" });
  });

  test("NUL in an identifier is still refused: U+FFFD never matches its pattern", () => {
    const good = systemEnvelope("web1", 0, now);
    const result = decode("infra.v1.web1.system", { ...good, boot_id: "boot\u0000" });
    expect(result.kind === "rejected" && result.reason).toBe("invalid_envelope");
  });

  test("NUL in malformed JSON never reaches the stored detail", () => {
    const result = decode("infra.v1.web1.system", new TextEncoder().encode('{"a": \u0000\u0000 }'));
    expect(result.kind === "rejected" && result.reason).toBe("malformed_json");
    expect(result.kind === "rejected" && result.detail.includes("\u0000")).toBe(false);
  });

  test("JSON nested 20,000 deep is refused as too_deep, anywhere in the envelope", () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const good = JSON.stringify(systemEnvelope("web1", 0, now));
    const inData = good.replace(
      '"errors":[]',
      `"errors":[{"code":"X","message":"m","details":{"d":${deep}}}]`,
    );
    expect(inData).toContain(deep);
    for (const payload of [deep, inData]) {
      const result = decode("infra.v1.web1.system", new TextEncoder().encode(payload));
      expect(result.kind === "rejected" && result.reason).toBe("too_deep");
      expect(result.kind === "rejected" && result.detail).toContain(String(MAX_JSON_DEPTH));
    }
    // the deepest a real envelope needs is far below the cap
    let nested: unknown = "leaf";
    for (let i = 0; i < MAX_JSON_DEPTH - 4; i++) nested = { n: nested };
    const ok = {
      ...systemEnvelope("web1", 0, now),
      errors: [{ code: "X", message: "m", details: { d: nested } }],
    };
    expect(decode("infra.v1.web1.system", ok).kind).toBe("accepted");
  });
});
