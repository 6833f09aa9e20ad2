import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { createLogsCollector } from "./index.ts";
import { memoryPositionStore } from "./position-store.ts";
import { testdata } from "./testing/captures.ts";

let root: string;
let journal: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "logs-journal-"));
  journal = join(root, "var/log/journal");
  await mkdir(join(journal, "6c7c6013a8674f3c9a5cb4ab0d2e4c1d"), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** journalctl answers from `answer`; every other command is real. */
function collectorWith(answer: (argv: readonly string[]) => ScriptedAnswer) {
  const executor = new ScriptedExecutor((argv) => (argv[0] === "journalctl" ? answer(argv) : undefined), {
    unscripted: "local",
  });
  const c = createLogsCollector({ executor, store: memoryPositionStore(), hostRoot: root, priority: "err" });
  return { executor, c };
}

test("with journal files: journalctl from the stored cursor, in the host's journal directory", async () => {
  const json = await testdata("handwritten-journal/journal-json.json");
  const { executor, c } = collectorWith((argv) => ({
    stdout: argv.at(-1)?.startsWith("--lines=") ? json : "",
  }));
  const first = await c.collect();
  expect(first.data).toMatchObject({ source: "journal", path: "", read: { ok: true, backlog: "drained" } });
  expect(first.data?.read.ok && first.data.read.entries.map((e) => e.identifier)).toEqual([
    "sshd",
    "kernel",
    "backup.sh",
    "myapp",
    "systemd",
  ]);
  await c.collect();
  const lastCursor = JSON.parse(json.trim().split("\n").at(-1) ?? "{}").__CURSOR;
  expect(executor.callsOf("journalctl")).toEqual([
    [
      "journalctl",
      "--output=json",
      "--all",
      "--no-pager",
      "--quiet",
      "--priority=err",
      `--directory=${journal}`,
      "--lines=5000",
    ],
    [
      "journalctl",
      "--output=json",
      "--all",
      "--no-pager",
      "--quiet",
      "--priority=err",
      `--directory=${journal}`,
      `--after-cursor=${lastCursor}`,
    ],
  ]);
});

test("output cut by the byte cap: the complete entries are taken, the cursor stops at the last of them", async () => {
  const json = await testdata("handwritten-journal/journal-json.json");
  const cut = json.slice(0, json.indexOf("\n", json.indexOf("\n") + 1) + 50);
  const { executor, c } = collectorWith(() => ({ stdout: cut, truncated: true }));
  const result = await c.collect();
  expect(result.data?.read).toMatchObject({ ok: true, backlog: "more" });
  expect(result.data?.read.ok && result.data.read.entries).toHaveLength(2);
  expect(result.errors).toEqual([]);
  await c.collect();
  const second = JSON.parse(json.split("\n")[1] ?? "{}").__CURSOR;
  expect(executor.callsOf("journalctl")[1]?.at(-1)).toBe(`--after-cursor=${second}`);
});

test("a failing journalctl is data; a missing one falls back to syslog", async () => {
  const failing = collectorWith(() => ({ stdout: "", exitCode: 1 }));
  expect((await failing.c.collect()).data).toEqual({
    source: "journal",
    path: "",
    read: { ok: false, error: { code: "COMMAND_FAILED", message: "journalctl exit 1: " } },
  });
  await writeFile(join(root, "var/log/messages"), "<11>Mar  7 04:02:16 avas app[9]: from syslog\n");
  const missing = collectorWith(() => "missing");
  const result = await missing.c.collect();
  expect(result.data?.source).toBe("syslog");
  expect(result.data?.path).toBe("/var/log/messages");
  expect(result.data?.read.ok && result.data.read.entries.map((e) => e.message)).toEqual(["from syslog"]);
});

test("a journal line that is not an entry is an item error; the others arrive and the cursor moves past it", async () => {
  const lines = (await testdata("handwritten-journal/journal-json.json")).trimEnd().split("\n");
  // The last line loses its time (its cursor still readable), the second is cut mid-object.
  const last = (lines.at(-1) ?? "").replace(/"__REALTIME_TIMESTAMP":"\d+",/, "");
  const damaged = [lines[0], (lines[1] ?? "").slice(0, 60), ...lines.slice(2, -1), last].join("\n");
  const lastCursor = /"__CURSOR":"([^"]+)"/.exec(last)?.[1];
  const { executor, c } = collectorWith((argv) => ({
    stdout: argv.at(-1)?.startsWith("--lines=") ? `${damaged}\n` : "",
  }));
  const { data, errors } = await c.collect();
  expect(errors).toEqual([]);
  if (!data?.read.ok) throw new Error("read failed");
  expect(data.read.entries.map((e) => e.identifier)).toEqual(["sshd", "backup.sh", "myapp"]);
  expect(data.read.item_errors).toMatchObject([
    { name: null, error: { code: "PARSE_FAILED", line: 2 } },
    {
      name: null,
      error: { code: "PARSE_FAILED", line: 5, message: expect.stringContaining("__REALTIME_TIMESTAMP") },
    },
  ]);
  await c.collect();
  expect(executor.callsOf("journalctl").at(-1)?.at(-1)).toBe(`--after-cursor=${lastCursor}`);
});
