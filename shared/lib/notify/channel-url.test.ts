import { expect, test } from "bun:test";
import { AppError } from "@infrastructor/shared/errors.ts";
import { channelFromUrl } from "./channel-url.ts";

const SECRET = "hunter2hunter2";

function configError(url: string): AppError {
  try {
    channelFromUrl("pager", url);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error(`channelFromUrl accepted ${url}`);
}

test("every scheme is known", () => {
  const schemes = [
    "discord://tok@123",
    "gotify://h/tok",
    "matrix://:tok@h/?rooms=!r:h",
    "ntfy://h/topic",
    "pushover://x:tok@user",
    "slack://T1/B2/C3",
    "smtp://u:p@mail.example:587/?from=a@example.org&to=b@example.org",
    "telegram://1:tok@telegram?chats=1",
    "webhook+http://h/p",
    "webhook+https://h/p",
  ].map((u) => channelFromUrl("c", u).scheme);
  expect(schemes).toEqual([
    "discord",
    "gotify",
    "matrix",
    "ntfy",
    "pushover",
    "slack",
    "smtp",
    "telegram",
    "webhook+http",
    "webhook+https",
  ]);
});

test("an unknown scheme is CONFIG_INVALID naming the channel and the known schemes", () => {
  const err = configError(`ftp://user:${SECRET}@host/`);
  expect([err.code, err.message]).toEqual([
    "CONFIG_INVALID",
    expect.stringContaining('channel pager: unknown scheme "ftp"'),
  ]);
  expect(err.message).not.toContain(SECRET);
});

test("a URL that does not parse is not echoed", () => {
  const err = configError(`not a url ${SECRET}`);
  expect(err.code).toBe("CONFIG_INVALID");
  expect(err.message).not.toContain(SECRET);
});

test("bad common options are named, and the secret is not", () => {
  for (const [url, what] of [
    [`ntfy://:${SECRET}@h/topic?timeout=soon`, "timeout"],
    [`ntfy://:${SECRET}@h/topic?endpoint=ftp://x`, "endpoint must be http or https"],
    [`gotify://h/${SECRET}?scheme=gopher`, "scheme must be http or https"],
    [`discord://${SECRET}@notanid`, "expected discord://"],
  ] as const) {
    const err = configError(url);
    expect([err.code, err.message]).toEqual(["CONFIG_INVALID", expect.stringContaining(what)]);
    expect(err.message).not.toContain(SECRET);
  }
});
