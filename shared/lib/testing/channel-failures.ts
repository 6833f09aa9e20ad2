import { afterAll, beforeAll, expect, test } from "bun:test";
import { ChannelError, type Notification } from "@infrastructor/lib/notify/channel.ts";
import { channelFromUrl } from "@infrastructor/lib/notify/channel-url.ts";
import {
  closedPortUrl,
  type HttpReceiver,
  type Reply,
  slowReply,
  startHttpReceiver,
} from "./http-receiver.ts";

/**
 * The failure modes of issue 15 run against every web channel alike: 500 then ok, 429 with
 * Retry-After, 400, connection refused, timeout, and a redirect to another host. Each failing receiver
 * echoes the secrets back in its body, and the test asserts they appear neither in the thrown error's
 * message nor in the channel's `redacted` form.
 */

export interface ChannelFailureSpec {
  /** Builds the channel URL; `query` is `endpoint=...&timeout=...` to append to the URL's own query. */
  url: (query: string) => string;
  secrets: readonly string[];
  /** What the service answers on success (Telegram wants `{"ok":true}`). */
  okReply?: Reply;
}

export const SAMPLE: Notification = {
  dedupKey: "alert-42:firing:1",
  kind: "firing",
  severity: "critical",
  title: "[CRITICAL] nas: zfs pool tank DEGRADED",
  body: "One vdev is FAULTED since 03:12. Replace the drive first.",
  hosts: ["nas"],
  at: new Date("2026-12-01T03:12:00Z"),
};

export function registerChannelFailureTests(spec: ChannelFailureSpec): void {
  let receiver: HttpReceiver;
  const echo = (status: number, headers: Record<string, string> = {}): Reply => {
    return () =>
      new Response(`rejected ${spec.secrets.join(" ")} ${encodeURIComponent(spec.secrets.join("/"))}`, {
        status,
        headers,
      });
  };
  const channelAt = (endpoint: string, timeout = "5s") =>
    channelFromUrl("test", spec.url(`endpoint=${encodeURIComponent(endpoint)}&timeout=${timeout}`));
  const failure = async (send: Promise<void>): Promise<ChannelError> => {
    const err = await send.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ChannelError);
    const message = (err as ChannelError).message;
    for (const secret of spec.secrets) expect(message).not.toContain(secret);
    return err as ChannelError;
  };

  beforeAll(() => {
    receiver = startHttpReceiver(spec.okReply);
  });
  afterAll(() => receiver.stop());

  test("redacted form holds no secret", () => {
    const redacted = channelAt(receiver.url).redacted;
    for (const secret of spec.secrets) expect(redacted).not.toContain(secret);
  });

  test("500 is retried, and the next send goes through", async () => {
    receiver.reply(echo(500));
    const err = await failure(channelAt(receiver.url).send(SAMPLE));
    expect([err.disposition, err.message]).toEqual(["retry", expect.stringContaining("HTTP 500")]);
    await channelAt(receiver.url).send(SAMPLE);
  });

  test("429 is retried after the server's Retry-After", async () => {
    receiver.reply(echo(429, { "retry-after": "7" }));
    const err = await failure(channelAt(receiver.url).send(SAMPLE));
    expect([err.disposition, err.retryAfterMs]).toEqual(["retry", 7000]);
  });

  test("400 is permanent and quotes the body without secrets", async () => {
    receiver.reply(echo(400));
    const err = await failure(channelAt(receiver.url).send(SAMPLE));
    expect([err.disposition, err.message]).toEqual([
      "permanent",
      expect.stringContaining("HTTP 400: rejected ***"),
    ]);
  });

  test("connection refused is retried", async () => {
    const err = await failure(channelAt(await closedPortUrl()).send(SAMPLE));
    expect(err.disposition).toBe("retry");
  });

  test("a receiver slower than the timeout is retried", async () => {
    receiver.reply(slowReply(1500));
    const err = await failure(channelAt(receiver.url, "200ms").send(SAMPLE));
    expect([err.disposition, err.message]).toEqual([
      "retry",
      expect.stringContaining("timed out after 200 ms"),
    ]);
  });

  test("a redirect to another host is refused, not followed", async () => {
    receiver.reply(
      () => new Response(null, { status: 307, headers: { location: "http://collector.invalid/steal" } }),
    );
    const before = receiver.requests.length;
    const err = await failure(channelAt(receiver.url).send(SAMPLE));
    expect([err.disposition, err.message]).toEqual(["permanent", expect.stringContaining("another host")]);
    expect(receiver.requests.length).toBe(before + 1);
  });
}
