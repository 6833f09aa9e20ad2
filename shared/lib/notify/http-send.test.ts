import { afterAll, describe, expect, test } from "bun:test";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { ChannelError } from "./channel.ts";
import { parseRetryAfter, sendHttp } from "./http-send.ts";
import { stripSecrets } from "./secrets.ts";

const SECRET = "s3cr3t/token:42";

describe("sendHttp", () => {
  const receiver = startHttpReceiver(() => new Response("ok"));
  afterAll(() => receiver.stop());
  const request = (path: string, signal?: AbortSignal) => ({
    method: "POST" as const,
    url: `${receiver.url}${path}`,
    headers: {},
    body: "{}",
    timeoutMs: 2000,
    secrets: [SECRET],
    label: "test channel t",
    signal,
  });

  test("a redirect on the same host is followed with the same method and body", async () => {
    receiver.reply(() => new Response(null, { status: 308, headers: { location: "/moved" } }));
    expect(await sendHttp(request("/first"))).toBe("ok");
    expect(receiver.requests.slice(-2).map((r) => [r.method, r.path, r.body])).toEqual([
      ["POST", "/first", "{}"],
      ["POST", "/moved", "{}"],
    ]);
  });

  test("a redirect loop ends as a permanent error", async () => {
    const loop = () => new Response(null, { status: 307, headers: { location: "/again" } });
    receiver.reply(loop, loop, loop, loop, loop);
    const err = await sendHttp(request("/loop")).catch((e: unknown) => e);
    expect([(err as ChannelError).disposition, (err as ChannelError).message]).toEqual([
      "permanent",
      "test channel t: more than 3 redirects",
    ]);
  });

  test("the caller's abort is a retry, not a crash", async () => {
    const err = await sendHttp(request("/x", AbortSignal.abort())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).disposition).toBe("retry");
  });

  test("a 404 echoing the encoded secret is permanent, secret stripped", async () => {
    receiver.reply(() => new Response(`no route ${encodeURIComponent(SECRET)} ${SECRET}`, { status: 404 }));
    const err = (await sendHttp(request("/x")).catch((e: unknown) => e)) as ChannelError;
    expect([err.disposition, err.message]).toEqual([
      "permanent",
      "test channel t: HTTP 404: no route *** ***",
    ]);
  });
});

test("Retry-After: seconds, HTTP-date, garbage", () => {
  const now = Date.parse("2026-12-02T10:00:00Z");
  expect(parseRetryAfter("120", now)).toBe(120_000);
  expect(parseRetryAfter("Wed, 02 Dec 2026 10:00:30 GMT", now)).toBe(30_000);
  expect(parseRetryAfter("Wed, 02 Dec 2026 09:00:00 GMT", now)).toBe(0);
  expect(parseRetryAfter("soon", now)).toBeNull();
  expect(parseRetryAfter(null, now)).toBeNull();
});

test("stripSecrets replaces raw and encoded forms, longest first, ignores very short ones", () => {
  expect(stripSecrets("a abcd123 b abcd c x", ["abcd", "abcd123", "x"])).toBe("a *** b *** c x");
  expect(stripSecrets(`u=${encodeURIComponent(SECRET)}`, [SECRET])).toBe("u=***");
});
