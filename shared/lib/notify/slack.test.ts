import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from https://api.slack.com/messaging/webhooks: POST to
// /services/T.../B.../X..., Content-type application/json, {text, blocks}; header and section blocks
// from https://api.slack.com/reference/block-kit/blocks (plain_text objects); `&`, `<`, `>` escaped in
// text per https://api.slack.com/reference/surfaces/formatting#escaping. Success is 200 "ok".

const [TEAM, BOT, SECRET] = ["T0AAA1111", "B0BBB2222", "sLaCkSeCrEt1234567890"];

describe("slack: documented request", () => {
  const receiver = startHttpReceiver(() => new Response("ok"));
  afterAll(() => receiver.stop());

  test("header and section blocks in plain_text, escaped fallback text", async () => {
    const channel = channelFromUrl("ops", `slack://${TEAM}/${BOT}/${SECRET}?endpoint=${receiver.url}`);
    await channel.send({ ...SAMPLE, title: "disk full on <!channel> & co" });
    const req = receiver.requests.at(-1);
    expect([req?.method, req?.path, req?.headers.get("content-type")]).toEqual([
      "POST",
      `/services/${TEAM}/${BOT}/${SECRET}`,
      "application/json",
    ]);
    const body = JSON.parse(req?.body ?? "");
    expect(body.text).toStartWith("🔴 disk full on &lt;!channel&gt; &amp; co\nOne vdev");
    expect(body.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "🔴 disk full on <!channel> & co" } },
      {
        type: "section",
        text: {
          type: "plain_text",
          text: "One vdev is FAULTED since 03:12. Replace the drive first.",
        },
      },
    ]);
  });

  test("redacted hides all three parts; a wrong shape is refused", () => {
    expect(channelFromUrl("ops", `slack://${TEAM}/${BOT}/${SECRET}`).redacted).toBe("slack://***/***/***");
    expect(() => channelFromUrl("ops", `slack://${TEAM}/${SECRET}`)).toThrow("channel ops (slack)");
  });
});

describe("slack: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `slack://${TEAM}/${BOT}/${SECRET}?${q}`,
    secrets: [TEAM, BOT, SECRET],
  });
});
