import { expect, test } from "bun:test";
import { EnvelopeSchema } from "@infrastructor/shared/envelope.ts";
import { createEnvelopeFactory } from "./envelope-factory.ts";
import { AGENT_VERSION } from "./version.ts";

test("seq counts per domain from 0 under one random boot_id", () => {
  const factory = createEnvelopeFactory({ host: "pi4" });
  const at = new Date("2026-01-02T03:04:05.000Z");
  const built = ["system", "system", "docker", "system"].map((domain) =>
    factory.build(domain, { data: { x: 1 }, errors: [] }, at),
  );
  expect(built.map((e) => [e.domain, e.seq])).toEqual([
    ["system", 0],
    ["system", 1],
    ["docker", 0],
    ["system", 2],
  ]);
  expect(built[0]).toMatchObject({
    v: 1,
    host: "pi4",
    agent_version: AGENT_VERSION,
    collected_at: at.toISOString(),
  });
  expect(new Set(built.map((e) => e.boot_id))).toEqual(new Set([factory.bootId]));
  expect(createEnvelopeFactory({ host: "pi4" }).bootId).not.toBe(factory.bootId);
  for (const envelope of built) expect(EnvelopeSchema.safeParse(envelope).success).toBe(true);
});

test("errors that would break the envelope's limits are fitted, not allowed to lose the data", () => {
  const factory = createEnvelopeFactory({ host: "pi4" });
  const errors = Array.from({ length: 150 }, (_, i) => ({
    code: i === 0 ? "not-a-code" : "READ_FAILED",
    message: "x".repeat(5000),
    source: "s".repeat(200),
  }));
  const envelope = factory.build("system", { data: { kept: true }, errors }, new Date());
  expect(EnvelopeSchema.safeParse(envelope).success).toBe(true);
  expect(envelope.data).toEqual({ kept: true });
  expect(envelope.errors).toHaveLength(100);
  expect(envelope.errors[0]?.code).toBe("INTERNAL");
  expect(envelope.errors.at(-1)?.message).toBe("51 more errors left out");
});
