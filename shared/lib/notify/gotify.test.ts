import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from https://gotify.net/docs/pushmsg: POST /message, the app token in the
// X-Gotify-Key header (or ?token=), JSON {title, message, priority, extras}; extras from
// https://gotify.net/docs/msgextras (client::display.contentType text/plain).

const APP_TOKEN = "AbCdEf123456GotifyApp";

describe("gotify: documented request", () => {
  const receiver = startHttpReceiver(() => Response.json({ id: 1 }));
  afterAll(() => receiver.stop());

  test("POST /message with X-Gotify-Key and a JSON message", async () => {
    const port = new URL(receiver.url).port;
    await channelFromUrl("g", `gotify://127.0.0.1:${port}/${APP_TOKEN}?scheme=http`).send(SAMPLE);
    const req = receiver.requests.at(-1);
    expect([req?.method, req?.path, req?.headers.get("x-gotify-key"), req?.query.get("token")]).toEqual([
      "POST",
      "/message",
      APP_TOKEN,
      null,
    ]);
    expect(JSON.parse(req?.body ?? "")).toEqual({
      title: SAMPLE.title,
      message: "One vdev is FAULTED since 03:12. Replace the drive first.",
      priority: 8,
      extras: { "client::display": { contentType: "text/plain" } },
    });
  });

  test("a path prefix (reverse proxy) is kept; warning is normal priority", async () => {
    const channel = channelFromUrl(
      "g",
      `gotify://push.example/gotify/${APP_TOKEN}?endpoint=${receiver.url}/gotify`,
    );
    await channel.send({ ...SAMPLE, severity: "warning" });
    const req = receiver.requests.at(-1);
    expect([req?.path, JSON.parse(req?.body ?? "").priority]).toEqual(["/gotify/message", 5]);
    expect(channel.redacted).toBe("gotify://push.example/gotify/***");
  });
});

describe("gotify: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `gotify://push.example/${APP_TOKEN}?${q}`,
    secrets: [APP_TOKEN],
  });
});
