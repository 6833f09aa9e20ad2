import { expect, test } from "bun:test";
import type { Notification } from "./channel.ts";
import { detailText, headline } from "./message-text.ts";

const message = (title: string, body: string): Notification => ({
  dedupKey: "k",
  kind: "firing",
  severity: "warning",
  title,
  body,
  hosts: ["nas"],
  at: new Date(0),
});

test("a host's hidden characters leave the title and the body; the body keeps its lines", () => {
  const n = message(
    "[WARNING] nas: disk /mnt/\u009b2J\u202eevil\r\nX-Injected: 1 full",
    "\nsince 10:00\n\tfirst step: look\u001b]8;;http://evil\u0007 here\n",
  );
  expect(headline(n)).toBe("[WARNING] nas: disk /mnt/ 2J evil X-Injected: 1 full");
  expect(detailText(n)).toBe("since 10:00\n\tfirst step: look ]8;;http://evil  here");
});
