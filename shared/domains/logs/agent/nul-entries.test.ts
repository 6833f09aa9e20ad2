import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { LogEntry } from "../schema.ts";
import { EntryBatch } from "./batch.ts";
import { createLogsCollector } from "./index.ts";
import { memoryPositionStore } from "./position-store.ts";

/** Issue 12 item 12, the syslog side: NUL in a file (a program's output, a crash's zero-filled tail). */
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "logs-nul-"));
  await mkdir(join(root, "var/log"), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

test("a syslog line with NUL, and a NUL-filled line, are kept cleaned; the lines around them arrive", async () => {
  const text = [
    "<11>Mar  7 04:02:01 avas app[1]: first",
    "<11>Mar  7 04:02:02 avas app[2]: with a \u0000 inside",
    "\u0000\u0000\u0000\u0000",
    "<11>Mar  7 04:02:03 avas app[3]: last",
    "",
  ].join("\n");
  await writeFile(join(root, "var/log/syslog"), text);
  const c = createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: root,
    now: () => new Date("2025-03-20T00:00:00Z"),
  });
  const { data, errors } = await c.collect();
  if (data?.read.ok !== true) throw new Error(`no entries: ${JSON.stringify(data)}`);
  expect(data.read.entries.map((e) => e.message)).toEqual([
    "first",
    "with a \uFFFD inside",
    "\uFFFD\uFFFD\uFFFD\uFFFD",
    "last",
  ]);
  // The zero-filled line is no syslog line: kept as it is and reported beside the entries, cleaned too.
  expect(errors).toEqual([]);
  expect(data.read.item_errors).toEqual([
    {
      name: data.read.entries[2]?.entry_id ?? "",
      error: expect.objectContaining({ code: "PARSE_FAILED", line: 3, excerpt: "\uFFFD\uFFFD\uFFFD\uFFFD" }),
    },
  ]);
  expect(JSON.stringify({ data, errors })).not.toContain("\\u0000");
});

test("an entry that breaks the schema is left out and reported; the batch keeps the others", () => {
  const entry = (id: string, time: string): LogEntry => ({
    time,
    entry_id: id,
    priority: 3,
    facility: null,
    hostname: "h",
    unit: "",
    identifier: "x",
    pid: null,
    message: "m",
  });
  const batch = new EntryBatch(10);
  expect(batch.add(entry("a", "2025-01-01T00:00:00Z"))).toBe(true);
  expect(batch.add(entry("b", "not a time"))).toBe(true);
  expect(batch.add(entry("c", "2025-01-01T00:00:01Z"))).toBe(true);
  expect(batch.entries.map((e) => e.entry_id)).toEqual(["a", "c"]);
  expect(batch.errors.map((e) => [e.name, e.error.code])).toEqual([["b", "INVALID_MESSAGE"]]);
});
