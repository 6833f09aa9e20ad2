import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from https://pushover.net/api: POST https://api.pushover.net/1/messages.json, form
// parameters token, user, message (required), title, priority (-2..2), timestamp (Unix seconds),
// device (comma-separated). Success: {"status":1,"request":"..."}; 4xx with {"status":0,"errors":[...]}.

const API_TOKEN = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
const USER_KEY = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
const okReply = () => Response.json({ status: 1, request: "647d2300-702c-4b38-8b2f-d56326ae460b" });

describe("pushover: documented request", () => {
  const receiver = startHttpReceiver(okReply);
  afterAll(() => receiver.stop());

  test("form-encoded message with title, priority, timestamp and devices", async () => {
    const url = `pushover://shoutrrr:${API_TOKEN}@${USER_KEY}/?devices=phone,tablet&endpoint=${receiver.url}`;
    await channelFromUrl("po", url).send(SAMPLE);
    const req = receiver.requests.at(-1);
    expect([req?.method, req?.path, req?.headers.get("content-type")]).toEqual([
      "POST",
      "/1/messages.json",
      "application/x-www-form-urlencoded",
    ]);
    expect(Object.fromEntries(new URLSearchParams(req?.body))).toEqual({
      token: API_TOKEN,
      user: USER_KEY,
      title: SAMPLE.title,
      message: "One vdev is FAULTED since 03:12. Replace the drive first.",
      priority: "1",
      timestamp: String(Date.parse("2026-12-01T03:12:00Z") / 1000),
      device: "phone,tablet",
    });
  });

  test("warning is normal priority, resolved quiet; redacted hides token and user key", async () => {
    const channel = channelFromUrl(
      "po",
      `pushover://shoutrrr:${API_TOKEN}@${USER_KEY}/?endpoint=${receiver.url}`,
    );
    await channel.send({ ...SAMPLE, severity: "warning" });
    expect(new URLSearchParams(receiver.requests.at(-1)?.body).get("priority")).toBe("0");
    await channel.send({ ...SAMPLE, kind: "resolved" });
    expect(new URLSearchParams(receiver.requests.at(-1)?.body).get("priority")).toBe("-1");
    expect(channel.redacted).toBe("pushover://***@***");
  });
});

describe("pushover: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `pushover://shoutrrr:${API_TOKEN}@${USER_KEY}/?${q}`,
    secrets: [API_TOKEN, USER_KEY],
    okReply,
  });
});
