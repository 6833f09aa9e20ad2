import { afterAll, describe, expect, test } from "bun:test";
import { registerChannelFailureTests, SAMPLE } from "../testing/channel-failures.ts";
import { startHttpReceiver } from "../testing/http-receiver.ts";
import { ChannelError } from "./channel.ts";
import { channelFromUrl } from "./channel-url.ts";

// Request format from the Matrix client-server API,
// https://spec.matrix.org/v1.18/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
// (PUT, access token as `Authorization: Bearer`, response {event_id}), m.text with
// format org.matrix.custom.html + formatted_body (#mtext), M_LIMIT_EXCEEDED with retry_after_ms (#rate-limiting).

const TOKEN = "syt_aW5mcmE_SecretMatrixToken_1a2b3c";
const ROOM = "!AbCdEfGh:matrix.example";
const okReply = () => Response.json({ event_id: "$evt1" });

describe("matrix: documented request", () => {
  const receiver = startHttpReceiver(okReply);
  afterAll(() => receiver.stop());

  test("PUT m.room.message with escaped HTML and a txnId stable per dedup key", async () => {
    const channel = channelFromUrl(
      "mx",
      `matrix://:${TOKEN}@matrix.example/?rooms=${ROOM}&endpoint=${receiver.url}`,
    );
    const before = receiver.requests.length;
    await channel.send({ ...SAMPLE, title: "<img src=x> on nas & co" });
    await channel.send({ ...SAMPLE, title: "<img src=x> on nas & co" });
    const [first, second] = receiver.requests.slice(before);
    expect(first?.method).toBe("PUT");
    // The room id is a path parameter, so it arrives percent-encoded (`:` as %3A), as in the spec's examples.
    expect(first?.path).toStartWith(
      `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/send/m.room.message/infra-`,
    );
    expect(first?.path).toMatch(/\/infra-[0-9a-f]{32}$/);
    expect(second?.path).toBe(first?.path);
    expect(first?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(first?.body ?? "")).toEqual({
      msgtype: "m.text",
      body: "<img src=x> on nas & co\nOne vdev is FAULTED since 03:12. Replace the drive first.",
      format: "org.matrix.custom.html",
      formatted_body:
        "<strong>&lt;img src=x&gt; on nas &amp; co</strong><br>One vdev is FAULTED since 03:12. Replace the drive first.",
    });
  });

  test("M_LIMIT_EXCEEDED waits retry_after_ms; redacted hides the token", async () => {
    const channel = channelFromUrl(
      "mx",
      `matrix://:${TOKEN}@matrix.example/?rooms=${ROOM}&endpoint=${receiver.url}`,
    );
    receiver.reply(() =>
      Response.json({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 2000 }, { status: 429 }),
    );
    const err = await channel.send(SAMPLE).catch((e: unknown) => e);
    expect([(err as ChannelError).disposition, (err as ChannelError).retryAfterMs]).toEqual(["retry", 2000]);
    expect(err).toBeInstanceOf(ChannelError);
    expect(channel.redacted).toBe(`matrix://***@matrix.example/?rooms=${ROOM}`);
  });
});

describe("matrix: room aliases", () => {
  // GET /_matrix/client/v3/directory/room/{roomAlias} -> {room_id, servers}:
  // https://spec.matrix.org/v1.18/client-server-api/#get_matrixclientv3directoryroomroomalias
  const receiver = startHttpReceiver((req) =>
    req.method === "GET" ? Response.json({ room_id: ROOM, servers: ["matrix.example"] }) : okReply(),
  );
  afterAll(() => receiver.stop());

  test("an alias is resolved once through the directory, then messages go to the room id", async () => {
    const channel = channelFromUrl(
      "mx",
      `matrix://:${TOKEN}@matrix.example/?rooms=ops:matrix.example&endpoint=${receiver.url}`,
    );
    await channel.send(SAMPLE);
    await channel.send({ ...SAMPLE, dedupKey: "alert-42:resolved:2", kind: "resolved" });
    expect(receiver.requests.map((r) => [r.method, r.path.split("/send/")[0]])).toEqual([
      ["GET", `/_matrix/client/v3/directory/room/${encodeURIComponent("#ops:matrix.example")}`],
      ["PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}`],
      ["PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}`],
    ]);
    expect(receiver.requests[0]?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
    expect(channel.redacted).toBe("matrix://***@matrix.example/?rooms=#ops:matrix.example");
  });
});

describe("matrix: failure modes", () => {
  registerChannelFailureTests({
    url: (q) => `matrix://:${TOKEN}@matrix.example/?rooms=${ROOM}&${q}`,
    secrets: [TOKEN],
    okReply,
  });
});
