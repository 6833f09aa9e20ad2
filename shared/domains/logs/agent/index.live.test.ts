import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { buildLogsCollector } from "./from-options.ts";
import { createLogsCollector } from "./index.ts";
import { memoryPositionStore } from "./position-store.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "logs-live-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function hasJournalFiles(): boolean {
  return ["/var/log/journal", "/run/log/journal"].some((d) => {
    try {
      return readdirSync(d).length > 0;
    } catch {
      return false;
    }
  });
}

/** This machine's real state: journalctl installed, no journald, so no journal files. */
test.skipIf(hasJournalFiles())(
  "without journal files the real host falls back to the syslog file",
  async () => {
    const file = join(dir, "syslog");
    await writeFile(file, "<12>Nov 25 01:00:00 ci agent[42]: fallback works\n");
    const c = createLogsCollector({
      executor: new LocalExecutor(),
      store: memoryPositionStore(),
      syslogPaths: [file],
    });
    const result = await c.collect();
    expect(result.data?.source).toBe("syslog");
    expect(result.data?.read.ok && result.data.read.entries.map((e) => e.message)).toEqual([
      "fallback works",
    ]);
  },
);

test("built from the agent's options: defaults filled, the position file in the state dir", async () => {
  const file = join(dir, "messages");
  await writeFile(file, "<11>Nov 25 01:00:00 ci agent[42]: one\n");
  const c = buildLogsCollector(new LocalExecutor(), "/", {
    state_dir: join(dir, "state"),
    syslog_paths: [file],
  });
  expect(c.defaultIntervalMs).toBe(60_000);
  expect((await c.collect()).data?.path).toBe(file);
  await c.collect();
  expect(JSON.parse(await readFile(join(dir, "state/logs-position.json"), "utf8"))).toMatchObject({
    kind: "syslog",
    path: file,
    offset: 38, // the line and its newline
  });
});
