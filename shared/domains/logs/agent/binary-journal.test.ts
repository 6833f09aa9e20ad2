import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { LogsDataSchema } from "../schema.ts";
import { createLogsCollector } from "./index.ts";
import { parseJournalJson } from "./parse-journal-json.ts";
import { memoryPositionStore } from "./position-store.ts";
import { testdata, unpackCapturedJournal } from "./testing/captures.ts";

/**
 * Issue 12 item 12: a NUL in one journal entry (a binary MESSAGE, which any local process can write
 * through journald's native protocol) made the hub refuse the whole logs poll. Captured with a real
 * journald (testdata/PROVENANCE.md); read here by the real journalctl.
 */
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "logs-binary-journal-"));
  await unpackCapturedJournal(root);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const NUL_TESTS = [
  "before\uFFFDafter: a NUL from a binary field",
  "café \uFFFD\uFFFD not UTF-8 and \uFFFD NUL",
  "a plain line beside them",
];

test("the captured journalctl JSON: binary MESSAGEs are cleaned to U+FFFD, not dropped", async () => {
  const { items: records, errors } = parseJournalJson(
    await testdata("local-journald252-binary-fields/journal-json.json"),
  );
  expect(errors).toEqual([]);
  const ours = records.filter((r) => r.entry.identifier === "infra-nul-test").map((r) => r.entry);
  expect(ours.map((e) => e.message)).toEqual(NUL_TESTS);
  expect(ours.map((e) => e.priority)).toEqual([3, 4, 6]);
  expect(JSON.stringify(records)).not.toContain("\\u0000");
});

test("one poll of the real journal with the real journalctl keeps every entry, the NUL ones cleaned", async () => {
  const collector = createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: root,
    priority: "debug",
  });
  const { data, errors } = await collector.collect();
  expect(errors).toEqual([]);
  const logs = LogsDataSchema.parse(data);
  if (!logs.read.ok) throw new Error(`read failed: ${JSON.stringify(logs.read)}`);
  expect(logs.source).toBe("journal");
  expect(logs.read.entries).toHaveLength(6);
  const ours = logs.read.entries.filter((e) => e.identifier === "infra-nul-test");
  expect(ours.map((e) => e.message)).toEqual(NUL_TESTS);
  expect(ours.every((e) => e.hostname === "journal-capture")).toBe(true);
  expect(JSON.stringify(data)).not.toContain("\\u0000");
});
