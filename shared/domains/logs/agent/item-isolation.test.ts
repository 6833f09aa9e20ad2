import { describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { expectItemIsolation, splitLines } from "@infrastructor/lib/testing/item-isolation.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { MAX_ITEM_ERRORS } from "@infrastructor/shared/schemas/source-result.ts";
import { type LogEntry, LogsDataSchema } from "../schema.ts";
import { createLogsCollector } from "./index.ts";
import { parseJournalJson } from "./parse-journal-json.ts";
import { parseSyslog, type SyslogOptions } from "./parse-syslog.ts";
import { memoryPositionStore } from "./position-store.ts";
import { testdata } from "./testing/captures.ts";

const utc: SyslogOptions = { now: new Date("2025-03-20T00:00:00Z"), zone: "utc" };

/**
 * A syslog line's entry keyed by the line itself (the only name a syslog line has), without its
 * `line:N` id: two identical lines of a capture then compare as the same entry.
 */
function syslogByLine(text: string): ItemsParse<{ line: string; entry: Omit<LogEntry, "entry_id"> }> {
  const lines = text.split("\n");
  const parsed = parseSyslog(text, utc);
  return {
    items: parsed.items.map(({ entry_id, ...entry }) => ({
      line: lines[Number(entry_id.slice("line:".length)) - 1] ?? "",
      entry,
    })),
    errors: parsed.errors,
  };
}

describe("one line that is not a valid entry never changes the others (every logs capture)", () => {
  test.each(["handwritten-journal/journal-json.json", "local-journald252-binary-fields/journal-json.json"])(
    "journalctl -o json: %s",
    async (name) => {
      const checked = expectItemIsolation({
        label: name,
        text: await testdata(name),
        split: splitLines(),
        parse: parseJournalJson,
        key: (r) => r.cursor,
      });
      expect(checked).toBeGreaterThan(0);
    },
  );

  test.each(["handwritten-syslog-rfc5424/syslog.txt", "handwritten-rsyslog-fileformat/syslog.txt"])(
    "syslog: %s",
    async (name) => {
      const checked = expectItemIsolation({
        label: name,
        text: await testdata(name),
        split: splitLines(),
        parse: syslogByLine,
        key: (r) => r.line,
      });
      expect(checked).toBeGreaterThan(0);
    },
  );

  test("syslog: jc-syslog-rfc3164/syslog.txt (also fixtures/logs/), its two bad lines as item errors", async () => {
    const text = await testdata("jc-syslog-rfc3164/syslog.txt");
    const whole = parseSyslog(text, utc);
    expect(whole.errors.map((e) => [e.name, e.error.line])).toEqual([
      ["line:2", 2],
      ["line:35", 35],
    ]);
    expect(whole.items).toHaveLength(30);
    // The property runs on the capture without them: its baseline must read every line.
    const clean = text
      .split("\n")
      .filter((_, i) => i !== 1 && i !== 34)
      .join("\n");
    const checked = expectItemIsolation({
      label: "jc rfc3164",
      text: clean,
      split: splitLines(),
      parse: syslogByLine,
      key: (r) => r.line,
    });
    expect(checked).toBeGreaterThan(0);
  });
});

describe("the logs collector: bad lines are bounded item errors beside the batch", () => {
  test("a syslog file of mostly garbage: every good line arrives, MAX_ITEM_ERRORS named, the rest counted", async () => {
    const root = await mkdtemp(join(tmpdir(), "logs-items-"));
    try {
      await mkdir(join(root, "var/log"), { recursive: true });
      const good = (n: number): string => `<11>Mar  7 04:02:01 avas app[${n}]: good ${n}`;
      const lines = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? good(i + 1) : `garbage ${i}`));
      await writeFile(join(root, "var/log/syslog"), `${lines.join("\n")}\n`);
      const c = createLogsCollector({
        executor: new LocalExecutor(),
        store: memoryPositionStore(),
        hostRoot: root,
        now: () => new Date("2025-03-20T00:00:00Z"),
      });
      const { data, errors } = await c.collect();
      expect(errors).toEqual([]);
      const read = LogsDataSchema.parse(data).read;
      if (!read.ok) throw new Error("read failed");
      // Kept: the 10 good lines with their priority, and the 90 others as they are (no priority).
      expect(read.entries.filter((e) => e.priority === 3).map((e) => e.message)).toEqual(
        Array.from({ length: 10 }, (_, i) => `good ${i * 10 + 1}`),
      );
      expect(read.entries).toHaveLength(100);
      expect(read.item_errors).toHaveLength(MAX_ITEM_ERRORS);
      expect(read.item_errors_dropped).toBe(90 - MAX_ITEM_ERRORS);
      expect(read.item_errors?.[0]).toEqual({
        name: read.entries[1]?.entry_id ?? null,
        error: {
          code: ErrorCode.PARSE_FAILED,
          message: "syslog: no RFC 3164 or RFC 3339 timestamp (line 2)",
          line: 2,
          excerpt: "garbage 1",
        },
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
