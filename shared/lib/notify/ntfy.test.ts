import { afterAll, describe, expect, test } from "bun:test";
import { AppError } from "@infrastructor/shared/errors.ts";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from https://docs.ntfy.sh/publish/#publish-as-json: POST to the server root with a JSON
// body {topic, message, title, tags[], priority 1..5}; access tokens as `Authorization: Bearer tk_...`
// (https://docs.ntfy.sh/publish/#access-tokens), user and password as Basic auth.

const TOKEN = "tk_secretaccesstoken42";
const TOPIC = "alerts-7f3kq";

describe("ntfy: documented request", () => {
  const receiver = startHttpReceiver();
  afterAll(() => receiver.stop());

  test("JSON publish with title, priority, tags and a Bearer token", async () => {
    const channel = channelFromUrl(
      "phone",
      `ntfy://:${TOKEN}@ntfy.example/${TOPIC}?endpoint=${receiver.url}&tags=homelab`,
    );
    await channel.send({ ...SAMPLE, title: "pool DEGRADED on nas\r\nX-Injected: 1" });
    const req = receiver.requests.at(-1);
    expect([req?.method, req?.path, req?.headers.get("authorization")]).toEqual([
      "POST",
      "/",
      `Bearer ${TOKEN}`,
    ]);
    expect(req?.headers.get("x-injected")).toBeNull();
    expect(JSON.parse(req?.body ?? "")).toEqual({
      topic: TOPIC,
      title: "pool DEGRADED on nas X-Injected: 1",
      message: "One vdev is FAULTED since 03:12. Replace the drive first.",
      priority: 5,
      tags: ["rotating_light", "homelab"],
    });
  });

  test("resolved is default priority with a check mark; user and password are Basic auth", async () => {
    const channel = channelFromUrl(
      "phone",
      `ntfy://ops:${TOKEN}@ntfy.example/${TOPIC}?endpoint=${receiver.url}`,
    );
    await channel.send({ ...SAMPLE, kind: "resolved" });
    const req = receiver.requests.at(-1);
    const body = JSON.parse(req?.body ?? "");
    expect([body.priority, body.tags, body.title]).toEqual([3, ["white_check_mark"], SAMPLE.title]);
    expect(req?.headers.get("authorization")).toBe(`Basic ${Buffer.from(`ops:${TOKEN}`).toString("base64")}`);
  });

  test("an empty host is ntfy.sh, a host without a topic is refused; the topic is redacted", () => {
    expect(channelFromUrl("p", `ntfy:///${TOPIC}`).redacted).toBe("ntfy://ntfy.sh/***");
    expect(() => channelFromUrl("p", "ntfy://nas")).toThrow("channel p (ntfy): expected ntfy://");
    expect(channelFromUrl("p", `ntfy://:${TOKEN}@ntfy.example:8080/${TOPIC}`).redacted).toBe(
      "ntfy://***@ntfy.example:8080/***",
    );
  });

  test("bad URLs are CONFIG_INVALID naming the channel, without the secret", () => {
    for (const url of [
      `ntfy://:${TOKEN}@ntfy.example/bad topic!`,
      `ntfy://x/${TOPIC}?bogus=1`,
      `gopher://${TOKEN}`,
    ]) {
      let err: unknown;
      try {
        channelFromUrl("phone", url);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect([(err as AppError).code, (err as AppError).message]).toEqual([
        "CONFIG_INVALID",
        expect.stringContaining("channel phone"),
      ]);
      expect((err as AppError).message).not.toContain(TOKEN);
    }
  });
});

describe("ntfy: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `ntfy://:${TOKEN}@ntfy.example/${TOPIC}?${q}`,
    secrets: [TOKEN, TOPIC],
  });
});
