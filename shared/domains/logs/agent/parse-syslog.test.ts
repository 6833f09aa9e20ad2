import { describe, expect, test } from "bun:test";
import { failure } from "@infrastructor/lib/testing/failure.ts";
import { LogEntrySchema } from "../schema.ts";
import { parseSyslog, parseSyslogLine, type SyslogOptions } from "./parse-syslog.ts";
import { testdata } from "./testing/captures.ts";

const utc: SyslogOptions = { now: new Date("2025-03-20T00:00:00Z"), zone: "utc" };

/** Every non-empty line of a file, parsed alone: the ones that fail, by line number. */
function eachLine(text: string, options = utc) {
  const ok: ReturnType<typeof parseSyslogLine>[] = [];
  const failed: number[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      ok.push(parseSyslogLine(line, i + 1, `t:${i}`, options));
    } catch {
      failed.push(i + 1);
    }
  });
  return { ok, failed };
}

describe("RFC 3164 (jc's captured lines)", () => {
  test("every line parses except the out-of-range PRI and the unparsable one", async () => {
    const { ok, failed } = eachLine(await testdata("jc-syslog-rfc3164/syslog.txt"));
    expect(failed).toEqual([2, 35]);
    expect(ok).toHaveLength(30);
    for (const e of ok) LogEntrySchema.parse(e);
    expect(ok[0]).toEqual({
      entry_id: "t:0",
      time: "2024-10-11T22:14:15.000Z", // October is after `now` (March 2025): last year
      priority: 2,
      facility: 4,
      hostname: "mymachine",
      unit: "",
      identifier: "su",
      pid: null,
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  test("no PRI, a pid, PAM's tag, a tag-less syslogd line, IPv6 hosts", async () => {
    const { ok } = eachLine(await testdata("jc-syslog-rfc3164/syslog.txt"));
    const byMessage = (m: string) => ok.find((e) => e.message.startsWith(m));
    expect(byMessage("Database correctly reloaded")).toMatchObject({
      priority: null,
      facility: null,
      identifier: "clamd",
      pid: 27173,
      hostname: "avas",
    });
    expect(byMessage("session opened")).toMatchObject({ identifier: "sshd(pam_unix)", pid: 21839 });
    expect(byMessage("last message repeated")).toMatchObject({ hostname: "avas", identifier: "" });
    expect(byMessage("i810_audio")).toMatchObject({
      identifier: "kernel",
      message: "i810_audio: Connection 0 with codec id 2",
    });
    expect(ok.filter((e) => e.message === "unauthorized request").map((e) => e.hostname)).toEqual([
      "127:0:ab::1",
      "server.example.com",
      "192.168.1.1",
      "server.example.com",
    ]);
  });

  test("the year: a line from after `now` (plus a day) is last year's", () => {
    const at = (now: string) =>
      parseSyslogLine("Dec 31 23:59:59 h t: x", 1, "x", { now: new Date(now), zone: "utc" }).time;
    expect(at("2026-01-01T00:10:00Z")).toBe("2025-12-31T23:59:59.000Z");
    expect(at("2025-12-31T23:00:00Z")).toBe("2025-12-31T23:59:59.000Z");
  });

  test("whole-file parse: each bad line is an item error naming its line; the others are read", async () => {
    const parsed = parseSyslog(`x\n${"Mar  7 04:02:16 a b: c"}\n<3444>Oct 11 22:14:15 m su: x`, utc);
    expect(parsed.items.map((e) => [e.entry_id, e.message])).toEqual([["line:2", "c"]]);
    expect(parsed.errors).toEqual([
      {
        name: "line:1",
        error: {
          code: "PARSE_FAILED",
          message: "syslog: no RFC 3164 or RFC 3339 timestamp (line 1)",
          line: 1,
          excerpt: "x",
        },
      },
      {
        name: "line:3",
        error: {
          code: "PARSE_FAILED",
          message: "syslog: PRI 3444 is above 191 (line 3)",
          line: 3,
          excerpt: "<3444>Oct 11 22:14:15 m su: x",
        },
      },
    ]);
  });
});

describe("RFC 5424 (handwritten from the RFC's examples) and rsyslog's RFC 3339 file format", () => {
  test("header fields, structured data skipped, BOM dropped", async () => {
    const { items: entries, errors } = parseSyslog(
      await testdata("handwritten-syslog-rfc5424/syslog.txt"),
      utc,
    );
    expect(errors).toEqual([]);
    for (const e of entries) LogEntrySchema.parse(e);
    expect(entries.map((e) => [e.time, e.priority, e.hostname, e.identifier, e.pid, e.message])).toEqual([
      [
        "2003-10-11T22:14:15.003Z",
        2,
        "mymachine.example.com",
        "su",
        null,
        "'su root' failed for lonvick on /dev/pts/8",
      ],
      ["2003-08-24T12:14:15.000Z", 5, "192.0.2.1", "myproc", 8710, "%% It's time to make the do-nuts."],
      [
        "2003-10-11T22:14:15.003Z",
        5,
        "mymachine.example.com",
        "evntslog",
        null,
        "An application event log entry...",
      ],
      ["2003-10-11T22:14:15.003Z", 5, "mymachine.example.com", "evntslog", null, ""],
      [
        "2025-11-24T20:03:44.120Z",
        3,
        "nas01",
        "smartd",
        912,
        "Device: /dev/sda [SAT], 8 Currently unreadable (pending) sectors",
      ],
    ]);
    expect(entries[0]?.facility).toBe(4);
  });

  test("unterminated structured data fails", () => {
    const err = failure(() =>
      parseSyslogLine('<165>1 2003-10-11T22:14:15.003Z h app - - [x a="1"', 4, "x", utc),
    );
    expect(err.details).toMatchObject({ line: 4 });
  });

  test("rsyslog high-precision stamps", async () => {
    const { items: entries } = parseSyslog(await testdata("handwritten-rsyslog-fileformat/syslog.txt"), utc);
    expect(entries.map((e) => [e.time, e.hostname, e.identifier, e.pid])).toEqual([
      ["2025-11-24T20:03:44.120Z", "nas01", "kernel", null],
      ["2025-11-24T20:04:01.000Z", "nas01", "CRON", 4711],
    ]);
  });
});
