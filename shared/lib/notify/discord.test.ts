import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from https://discord.com/developers/docs/resources/webhook#execute-webhook:
// POST /webhooks/{webhook.id}/{webhook.token}, JSON with `embeds` (title, description, color,
// timestamp ISO8601, footer.text: https://discord.com/developers/docs/resources/message#embed-object)
// and `allowed_mentions` (https://discord.com/developers/docs/resources/message#allowed-mentions-object).
// Success is 204 No Content.

const WEBHOOK_ID = "112233445566778899";
const WEBHOOK_TOKEN = "dIsCoRdToKeN_abc-123";

describe("discord: documented request", () => {
  const receiver = startHttpReceiver(() => new Response(null, { status: 204 }));
  afterAll(() => receiver.stop());

  test("one embed coloured by severity, mentions off, Markdown escaped", async () => {
    const channel = channelFromUrl(
      "chat",
      `discord://${WEBHOOK_TOKEN}@${WEBHOOK_ID}?endpoint=${receiver.url}/api`,
    );
    await channel.send({ ...SAMPLE, title: "disk full on **nas** @everyone", body: "see [here](http://x)" });
    const req = receiver.requests.at(-1);
    expect([req?.method, req?.path, req?.headers.get("content-type")]).toEqual([
      "POST",
      `/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}`,
      "application/json",
    ]);
    expect(JSON.parse(req?.body ?? "")).toEqual({
      allowed_mentions: { parse: [] },
      embeds: [
        {
          title: "disk full on \\*\\*nas\\*\\* \\@everyone",
          description: "see \\[here\\]\\(http://x\\)",
          color: 0xe74c3c,
          timestamp: "2026-12-01T03:12:00.000Z",
          footer: { text: "critical · firing" },
        },
      ],
    });
  });

  test("resolved is green; redacted hides id and token", async () => {
    const channel = channelFromUrl(
      "chat",
      `discord://${WEBHOOK_TOKEN}@${WEBHOOK_ID}?endpoint=${receiver.url}`,
    );
    await channel.send({ ...SAMPLE, kind: "resolved" });
    expect(JSON.parse(receiver.requests.at(-1)?.body ?? "").embeds[0].color).toBe(0x2ecc71);
    expect(channel.redacted).toBe("discord://***@***");
  });
});

describe("discord: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `discord://${WEBHOOK_TOKEN}@${WEBHOOK_ID}?${q}`,
    secrets: [WEBHOOK_TOKEN, WEBHOOK_ID],
  });
});
