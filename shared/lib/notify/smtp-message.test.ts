import { describe, expect, test } from "bun:test";
import type { Notification } from "./channel.ts";
import { messageIdFor, smtpMessage } from "./smtp-message.ts";

const base: Notification = {
  dedupKey: "zfs_pool|nas|tank|firing|1",
  kind: "firing",
  severity: "warning",
  title: "zfs pool tank DEGRADED on nas",
  body: "vdev sdb FAULTED",
  hosts: ["nas"],
  at: new Date("2026-12-02T10:02:00Z"),
};

describe("smtpMessage", () => {
  test("subject: severity prefix, the kind when not firing, one line, at most 200 characters", () => {
    expect(smtpMessage(base, "a@example.org").subject).toBe("[WARNING] zfs pool tank DEGRADED on nas");
    expect(smtpMessage({ ...base, kind: "acknowledged" }, "a@example.org").subject).toBe(
      "[WARNING acknowledged] zfs pool tank DEGRADED on nas",
    );
    const long = smtpMessage({ ...base, title: `x\r\n\t\u0085y${"z".repeat(300)}` }, "a@example.org").subject;
    expect(long).toStartWith("[WARNING] x y");
    expect(long).toHaveLength(200);
    expect(long).not.toMatch(/[\r\n\t\u0085]/);
  });

  test("body: CRLF normalised, terminal escapes dropped, hosts of a group named", () => {
    const text = smtpMessage(
      { ...base, body: "line 1\r\nline 2\u001b[31m red\u0007", hosts: ["web1", "web2\nBcc: x"] },
      "a@example.org",
    ).text;
    expect(text).toBe(
      "line 1\nline 2[31m red\n\nHosts: web1, web2 Bcc: x\nSince: 2026-12-02T10:02:00.000Z\n",
    );
  });

  test("Message-ID: stable per dedup key, distinct across keys, an atom whatever the key holds", () => {
    const id = messageIdFor(base.dedupKey, "alerts@example.org");
    expect(id).toMatch(/^<alert\.[0-9a-f]{40}@example\.org>$/);
    expect(messageIdFor(base.dedupKey, "alerts@example.org")).toBe(id);
    expect(messageIdFor(`${base.dedupKey}x`, "alerts@example.org")).not.toBe(id);
    expect(messageIdFor("<evil>\r\n@x", "alerts@example.org")).toMatch(
      /^<alert\.[0-9a-f]{40}@example\.org>$/,
    );
  });
});
