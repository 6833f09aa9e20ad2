import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { ChannelError } from "./channel.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from https://core.telegram.org/bots/api#making-requests (POST
// https://api.telegram.org/bot<token>/METHOD_NAME, application/json) and #sendmessage (chat_id, text,
// parse_mode optional, disable_notification, link_preview_options). A 429 carries
// parameters.retry_after (#responseparameters). Success: {"ok":true,"result":{...}}.

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const SECRET = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const okReply = () => Response.json({ ok: true, result: { message_id: 1 } });

describe("telegram: documented request", () => {
  const receiver = startHttpReceiver(okReply);
  afterAll(() => receiver.stop());

  test("one sendMessage per chat, plain text without parse_mode", async () => {
    const channel = channelFromUrl(
      "tg",
      `telegram://${TOKEN}@telegram?chats=-1001234,@ops_alerts&endpoint=${receiver.url}`,
    );
    const before = receiver.requests.length;
    await channel.send({ ...SAMPLE, title: "<b>nas</b> *down*" });
    const sent = receiver.requests.slice(before);
    expect(sent.map((r) => [r.method, r.path])).toEqual([
      ["POST", `/bot${TOKEN}/sendMessage`],
      ["POST", `/bot${TOKEN}/sendMessage`],
    ]);
    const bodies = sent.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.chat_id)).toEqual([-1001234, "@ops_alerts"]);
    expect(bodies[0]).toEqual({
      chat_id: -1001234,
      text: "<b>nas</b> *down*\n\nOne vdev is FAULTED since 03:12. Replace the drive first.",
      disable_notification: false,
      link_preview_options: { is_disabled: true },
    });
    expect(bodies[0].parse_mode).toBeUndefined();
  });

  test("a 429 without Retry-After waits parameters.retry_after; resolved is silent", async () => {
    const channel = channelFromUrl("tg", `telegram://${TOKEN}@telegram?chats=42&endpoint=${receiver.url}`);
    receiver.reply(() =>
      Response.json({ ok: false, error_code: 429, parameters: { retry_after: 35 } }, { status: 429 }),
    );
    const err = await channel.send(SAMPLE).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelError);
    expect([(err as ChannelError).disposition, (err as ChannelError).retryAfterMs]).toEqual([
      "retry",
      35_000,
    ]);
    await channel.send({ ...SAMPLE, kind: "resolved" });
    expect(JSON.parse(receiver.requests.at(-1)?.body ?? "").disable_notification).toBe(true);
    expect(channel.redacted).toBe("telegram://***@telegram?chats=42");
  });
});

describe("telegram: several chats", () => {
  const receiver = startHttpReceiver(okReply);
  afterAll(() => receiver.stop());

  test("a retry after one chat failed resumes there: the chat that got it is not sent a second copy", async () => {
    const channel = channelFromUrl("tg", `telegram://${TOKEN}@telegram?chats=1,2,3&endpoint=${receiver.url}`);
    receiver.reply(okReply, () => Response.json({ ok: false, error_code: 502 }, { status: 502 }));
    const err = await channel.send(SAMPLE).catch((e: unknown) => e);
    expect((err as ChannelError).disposition).toBe("retry");
    await channel.send(SAMPLE);
    expect(receiver.requests.map((r) => JSON.parse(r.body).chat_id)).toEqual([1, 2, 2, 3]);
    // Fully delivered: a deliberate resend of the same key goes to every chat again.
    await channel.send(SAMPLE);
    expect(receiver.requests.map((r) => JSON.parse(r.body).chat_id).slice(4)).toEqual([1, 2, 3]);
  });
});

describe("telegram: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `telegram://${TOKEN}@telegram?chats=42&${q}`,
    secrets: [TOKEN, SECRET],
    okReply,
  });
});
