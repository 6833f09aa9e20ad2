import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogsCollector } from "@infrastructor/domains/logs/agent/index.ts";
import { memoryPositionStore } from "@infrastructor/domains/logs/agent/position-store.ts";
import { testdata, unpackCapturedJournal } from "@infrastructor/domains/logs/agent/testing/captures.ts";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
let root: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  root = await mkdtemp(join(tmpdir(), "logs-e2e-"));
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
  await rm(root, { recursive: true, force: true });
}, 60_000);

async function envelope(
  c: Collector<"logs">,
  host: string,
  seq: number,
  bootId = "logs-boot",
): Promise<Envelope> {
  const result = await c.collect();
  return domainEnvelope(host, "logs", result.data, { seq, boot_id: bootId, errors: result.errors });
}

const count = async (host: string): Promise<number> => {
  const [row] =
    await pipeline.sql`SELECT count(*)::int AS n FROM logs l JOIN devices d ON d.id = l.device_id WHERE d.hostname = ${host}`;
  return row?.n ?? -1;
};

test("syslog and journal entries reach the logs table, searchable by unit, priority and text, stored once", async () => {
  // A syslog host: the captured RFC 3164 file and the RFC 5424 lines, read by the real collector;
  // warning and worse: 31 of the capture (notice dropped), 2 of the RFC 5424 lines.
  await mkdir(join(root, "syslog-host/var/log"), { recursive: true });
  const file = join(root, "syslog-host/var/log/messages");
  await writeFile(
    file,
    (await testdata("jc-syslog-rfc3164/syslog.txt")) +
      (await testdata("handwritten-syslog-rfc5424/syslog.txt")),
  );
  const syslogHost = createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: join(root, "syslog-host"),
  });
  const fromSyslog = await envelope(syslogHost, "sys1", 0);
  const sent = fromSyslog.data as { read: { entries: unknown[] } };
  expect(sent.read.entries.length).toBe(33);

  // A journal host: journalctl answers with the handwritten journal lines.
  await mkdir(join(root, "journal-host/var/log/journal/6c7c6013a8674f3c9a5cb4ab0d2e4c1d"), {
    recursive: true,
  });
  const json = await testdata("handwritten-journal/journal-json.json");
  const journalHost = createLogsCollector({
    executor: new ScriptedExecutor((argv) => (argv[0] === "journalctl" ? { stdout: json } : undefined), {
      unscripted: "local",
    }),
    store: memoryPositionStore(),
    hostRoot: join(root, "journal-host"),
  });
  await publishEnvelopes(pipeline.js, [fromSyslog, await envelope(journalHost, "jrn1", 0)]);
  await waitFor(
    "both hosts' entries",
    async () => (await count("sys1")) === 33 && (await count("jrn1")) === 5,
    60_000,
  );

  const [nginx] = await pipeline.sql`
    SELECT l.* FROM logs l JOIN devices d ON d.id = l.device_id
    WHERE d.hostname = 'jrn1' AND l.unit = 'nginx.service'`;
  expect(nginx).toMatchObject({ source: "journal", priority: 3, identifier: "systemd", pid: 1 });
  expect(nginx?.message).toStartWith("Failed to start nginx.service");
  // crit and worse: su's <34> lines (RFC 3164 and RFC 5424) and the journal's PRIORITY=2.
  const severe = await pipeline.sql`SELECT identifier FROM logs WHERE priority <= 2 ORDER BY identifier`;
  expect(severe.map((r) => r.identifier)).toEqual(["backup.sh", "su", "su"]);
  const found = await pipeline.sql`
    SELECT identifier, message FROM logs
    WHERE to_tsvector('simple', message) @@ websearch_to_tsquery('simple', 'unreadable sectors')`;
  expect(found.map((r) => r.identifier)).toEqual(["smartd"]);

  // The same entries sent again (an agent restarted before saving its position) add no row.
  const again = createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot: join(root, "syslog-host"),
  });
  await publishEnvelopes(pipeline.js, [await envelope(again, "sys1", 0, "second-boot")]);
  await waitFor("the resend processed", () => pipeline.collector.drained());
  expect(await count("sys1")).toBe(33);
}, 120_000);

test("text search can use the GIN index", async () => {
  const plan = await pipeline.sql.begin(async (tx) => {
    await tx`SET LOCAL enable_seqscan = off`;
    return await tx.unsafe(
      "EXPLAIN SELECT * FROM logs WHERE to_tsvector('simple', message) @@ websearch_to_tsquery('simple', 'nginx')",
    );
  });
  expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("logs_message_fts_idx");
}, 60_000);

test("a poll with binary journal entries holding NUL is stored whole: every entry, the NULs as U+FFFD", async () => {
  // The real journal captured with binary MESSAGE fields (agent logs testdata), read by the real journalctl.
  const hostRoot = join(root, "binary-journal-host");
  await unpackCapturedJournal(hostRoot);
  const agentSide = createLogsCollector({
    executor: new LocalExecutor(),
    store: memoryPositionStore(),
    hostRoot,
    priority: "debug",
  });
  await publishEnvelopes(pipeline.js, [await envelope(agentSide, "nul1", 0)]);
  await waitFor("the binary journal's 6 entries", async () => (await count("nul1")) === 6, 60_000);
  const rows = await pipeline.sql<{ message: string }[]>`
    SELECT l.message FROM logs l JOIN devices d ON d.id = l.device_id
    WHERE d.hostname = 'nul1' AND l.identifier = 'infra-nul-test' ORDER BY l.priority`;
  expect(rows.map((r) => r.message)).toEqual([
    "before\uFFFDafter: a NUL from a binary field",
    "café \uFFFD\uFFFD not UTF-8 and \uFFFD NUL",
    "a plain line beside them",
  ]);
  const [rejects] = await pipeline.sql`SELECT count(*)::int AS n FROM ingest_rejects`;
  expect(rejects?.n).toBe(0);
}, 120_000);
