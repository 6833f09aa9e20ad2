import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { channelFromUrl } from "./channel-url.ts";

// Our own format (issue 15, N1 brief): POST, Content-Type application/json, body
// {dedup_key, kind, severity, title, body, hosts, at}; the dedup key also in Idempotency-Key
// (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/).

const HOOK_TOKEN = "hooksecret9931";
const PASSWORD = "basicpass5521";

describe("webhook: request", () => {
  const receiver = startHttpReceiver();
  afterAll(() => receiver.stop());

  test("JSON body with every field, Basic auth, the receiver's query kept", async () => {
    const port = new URL(receiver.url).port;
    const channel = channelFromUrl(
      "hook",
      `webhook+http://ops:${PASSWORD}@127.0.0.1:${port}/api/${HOOK_TOKEN}?src=infra`,
    );
    await channel.send(SAMPLE);
    const req = receiver.requests.at(-1);
    expect([req?.method, req?.path, req?.query.get("src"), req?.headers.get("content-type")]).toEqual([
      "POST",
      `/api/${HOOK_TOKEN}`,
      "infra",
      "application/json",
    ]);
    expect(req?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`ops:${PASSWORD}`).toString("base64")}`,
    );
    expect(req?.headers.get("idempotency-key")).toBe(SAMPLE.dedupKey);
    expect(JSON.parse(req?.body ?? "")).toEqual({
      dedup_key: SAMPLE.dedupKey,
      kind: "firing",
      severity: "critical",
      title: SAMPLE.title,
      body: SAMPLE.body,
      hosts: ["nas"],
      at: "2026-12-01T03:12:00.000Z",
    });
  });

  test("redacted keeps the host only", () => {
    expect(
      channelFromUrl("h", `webhook+https://u:${PASSWORD}@hooks.example/x/${HOOK_TOKEN}?k=v`).redacted,
    ).toBe("webhook+https://***@hooks.example/***");
  });
});

describe("webhook: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `webhook+https://ops:${PASSWORD}@hooks.example/api/${HOOK_TOKEN}?${q}`,
    secrets: [HOOK_TOKEN, PASSWORD],
  });
});
