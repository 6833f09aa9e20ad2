import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { appendFile, mkdir, mkdtemp, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { LogsData } from "../schema.ts";
import { createLogsCollector, LOGS_INTERVAL_MS, type LogsCollectorOptions } from "./index.ts";
import { filePositionStore, memoryPositionStore } from "./position-store.ts";
import { testdata } from "./testing/captures.ts";

const executor = new LocalExecutor();
let root: string;
let syslog: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "logs-root-"));
  // As on this machine: a journal directory without journal files (journalctl exists, journald does not).
  await mkdir(join(root, "var/log/journal"), { recursive: true });
  syslog = join(root, "var/log/syslog");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function collector(over: Partial<LogsCollectorOptions> = {}) {
  return createLogsCollector({
    executor,
    store: memoryPositionStore(),
    hostRoot: root,
    now: () => new Date("2025-03-20T00:00:00Z"),
    ...over,
  });
}

function entriesOf(data: LogsData | null) {
  if (data?.read.ok !== true) throw new Error(`no entries: ${JSON.stringify(data)}`);
  return data.read;
}

const line = (n: number): string =>
  `<11>Mar  7 04:02:${String(n % 60).padStart(2, "0")} avas app[${n + 1}]: message ${n}\n`;

describe("logs collector on a host without a journal (the syslog fallback)", () => {
  test("no journal files and no syslog file: unavailable, with the reason", async () => {
    const result = await collector().collect();
    expect(result.data).toBeNull();
    expect(result.unavailable).toEqual({
      code: "NOT_FOUND",
      reason: "no systemd journal and none of /var/log/syslog, /var/log/messages exists",
    });
  });

  test("the captured RFC 3164 file: warning and worse kept, lines without PRI kept, bad lines reported", async () => {
    await writeFile(syslog, await testdata("jc-syslog-rfc3164/syslog.txt"));
    const c = collector();
    expect(c.defaultIntervalMs).toBe(LOGS_INTERVAL_MS);
    const result = await c.collect();
    expect(result.data).toMatchObject({ source: "syslog", path: "/var/log/syslog" });
    const read = entriesOf(result.data);
    expect(read.backlog).toBe("drained");
    // 32 non-empty lines, minus <5> (notice): the two bad lines are kept as they are.
    expect(read.entries).toHaveLength(31);
    expect(read.entries.filter((e) => e.priority !== null).map((e) => e.priority)).toEqual([2, 3, 3, 3]);
    expect(read.entries[1]).toMatchObject({
      priority: null,
      identifier: "",
      message: expect.stringContaining("<3444>"),
    });
    // Each bad line is an item error beside the entries, named by the entry that keeps its text.
    expect(result.errors).toEqual([]);
    expect(read.item_errors?.map((e) => [e.name, e.error.code, e.error.message])).toEqual([
      [read.entries[1]?.entry_id ?? null, "PARSE_FAILED", "syslog: PRI 3444 is above 191 (line 2)"],
      [
        read.entries.find((e) => e.message === "<7>unparsable line")?.entry_id ?? null,
        "PARSE_FAILED",
        "syslog: no RFC 3164 or RFC 3339 timestamp (line 35)",
      ],
    ]);
    const ids = read.entries.map((e) => e.entry_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await c.collect()).data?.read).toEqual({ ok: true, entries: [], backlog: "drained" });
  });

  test("appended lines only; the position survives a restart through the state file", async () => {
    const stateFile = join(root, "state/logs-position.json");
    await writeFile(syslog, line(1) + line(2));
    const first = collector({ store: filePositionStore(stateFile) });
    expect(entriesOf((await first.collect()).data).entries.map((e) => e.pid)).toEqual([2, 3]);
    await appendFile(syslog, line(3));
    // The second poll saves the first poll's position, then reads on.
    expect(entriesOf((await first.collect()).data).entries.map((e) => e.pid)).toEqual([4]);
    await appendFile(syslog, `${line(4)}<11>Mar  7 04:02:05 avas half a li`);
    const restarted = collector({ store: filePositionStore(stateFile) });
    // At-least-once: the restarted agent re-sends the unsaved poll (same entry ids), never a line twice more.
    const again = entriesOf((await restarted.collect()).data).entries;
    expect(again.map((e) => e.pid)).toEqual([4, 5]);
    expect(again[0]?.entry_id).toBe(`f:${(await stat(syslog)).ino}:${(line(1) + line(2)).length}`);
    await appendFile(syslog, "ne\n");
    expect(entriesOf((await restarted.collect()).data).entries.map((e) => e.message)).toEqual([
      "half a line",
    ]);
  });

  test("rotation (a new inode) and truncation start the file again from its beginning", async () => {
    await writeFile(syslog, line(1) + line(2));
    const c = collector();
    await c.collect();
    await rename(syslog, `${syslog}.1`);
    await writeFile(syslog, line(7));
    expect(entriesOf((await c.collect()).data).entries.map((e) => e.pid)).toEqual([8]);
    await appendFile(syslog, line(8) + line(9));
    await c.collect();
    await truncate(syslog, 0);
    await appendFile(syslog, line(10));
    expect(entriesOf((await c.collect()).data).entries.map((e) => e.pid)).toEqual([11]);
  });

  test("bounded: max lines and the byte cap leave a backlog that the next polls drain", async () => {
    await writeFile(syslog, Array.from({ length: 4000 }, (_, i) => line(i)).join(""));
    const { ino } = await stat(syslog);
    const store = memoryPositionStore({ kind: "syslog", path: "/var/log/syslog", inode: ino, offset: 0 });
    const c = collector({ store, maxLines: 1000, maxBytes: 64 * 1024 });
    const seen: number[] = [];
    for (let poll = 0; poll < 10; poll++) {
      const read = entriesOf((await c.collect()).data);
      expect(read.entries.length).toBeLessThanOrEqual(1000);
      seen.push(...read.entries.map((e) => (e.pid ?? 0) - 1));
      if (read.backlog === "drained") break;
    }
    expect(seen).toEqual(Array.from({ length: 4000 }, (_, i) => i));
  });

  test("a first read of a long file sends only its tail, from a whole line", async () => {
    await writeFile(syslog, Array.from({ length: 4000 }, (_, i) => line(i)).join(""));
    const entries = entriesOf((await collector().collect()).data).entries;
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.at(-1)?.pid).toBe(4000);
    expect(entries[0]?.message).toMatch(/^message \d+$/);
  });
});
