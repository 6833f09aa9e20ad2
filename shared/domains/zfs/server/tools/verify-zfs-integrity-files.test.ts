import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  type McpHarness,
  type McpSession,
  startMcpHarness,
} from "@infrastructor/lib/testing/mcp/mcp-harness.ts";
import { type ScriptedAnswer, ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { DATASETS_ARGV, SNAPSHOTS_ARGV, ZPOOL_LIST_ARGV, ZPOOL_STATUS_ARGV } from "../../agent/commands.ts";
import { createZfsCollector } from "../../agent/index.ts";
import { fixture } from "../../agent/testing/captures.ts";

/**
 * verify_zfs_integrity names the damaged files the agent read with `zpool status -v`: the first few in
 * its text, the count of the rest, and up to 100 in the structured answer. vmdata is a real capture
 * (14 entries); big is ours, with 150 damaged files, more than an agent sends by name.
 */
let harness: McpHarness;
let session: McpSession;

const ok = (stdout: string): ScriptedAnswer => ({ exitCode: 0, stdout });
const BIG_FILES = Array.from({ length: 150 }, (_, i) => `/big/projects/file-${i}.dat`);

beforeAll(async () => {
  harness = await startMcpHarness();
  const big = `  pool: big\n state: ONLINE\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n\tbig         ONLINE       0     0     0\n\t  sdz       ONLINE       0     0    12\n\nerrors: Permanent errors have been detected in the following files:\n\n${BIG_FILES.map((f) => `        ${f}\n`).join("")}`;
  const status = `${await fixture("kolkhis-scrub-in-progress-permanent-errors/zpool-status.txt")}\n${big}`;
  const script: Record<string, ScriptedAnswer> = {
    [ZPOOL_LIST_ARGV.join(" ")]: ok(
      "vmdata\tONLINE\t81282006630\t40641003315\t40641003315\t10\t50\t1.00\nbig\tONLINE\t1000\t500\t500\t1\t50\t1.00\n",
    ),
    [ZPOOL_STATUS_ARGV.join(" ")]: ok(status),
    [DATASETS_ARGV.join(" ")]: ok(""),
    [SNAPSHOTS_ARGV.join(" ")]: ok(""),
  };
  const result = await createZfsCollector({
    executor: new ScriptedExecutor(script),
    procRoot: "/nonexistent",
  }).collect();
  await harness.ingest("damaged", "zfs", result);
  session = await harness.connect();
}, 120_000);

afterAll(async () => {
  await harness?.destroy();
}, 60_000);

test("damaged files are named in the text (first three, and how many more) and listed in the structure", async () => {
  const result = await session.call("verify_zfs_integrity", { device: "damaged" });
  expect(result.isError).toBeFalsy();
  const text = result.content[0]?.type === "text" ? result.content[0].text : "";
  const s = result.structuredContent as {
    verdict: string;
    pools: {
      name: string;
      verdict: string;
      permanent_errors: { count: number; files: string[]; files_total: number; datasets: string[] };
    }[];
  };
  expect(s.verdict).toBe("failing");
  const vmdata = s.pools.find((p) => p.name === "vmdata");
  const big = s.pools.find((p) => p.name === "big");
  expect(vmdata?.permanent_errors).toMatchObject({ count: 14, files_total: 14 });
  expect(vmdata?.permanent_errors.files).toHaveLength(14);
  expect(vmdata?.permanent_errors.datasets).toEqual([
    "vmdata/vm-100-disk-0",
    "vmdata/vm-203-disk-0",
    "vmdata/vm-204-disk-0",
  ]);
  expect(text).toContain(
    "14 permanent data errors: vmdata/vm-100-disk-0:<0x1>, vmdata/vm-100-disk-0@pre-playbooks-with-ansible:<0x1>, vmdata/vm-203-disk-0:<0x1> and 11 more",
  );
  expect(big?.permanent_errors).toMatchObject({ count: 150, files_total: 150 });
  expect(big?.permanent_errors.files).toEqual(BIG_FILES.slice(0, 100));
  expect(text).toContain(
    "150 permanent data errors: /big/projects/file-0.dat, /big/projects/file-1.dat, /big/projects/file-2.dat and 147 more",
  );
}, 60_000);

test("a pool whose zpool status block could not be read is a warning naming it, never silently ok", async () => {
  const status = await fixture("handwritten-unavail-faulted/zpool-status.txt");
  const script: Record<string, ScriptedAnswer> = {
    [ZPOOL_LIST_ARGV.join(" ")]: ok(await fixture("handwritten-unavail-faulted/zpool-list.txt")),
    // tank's block lost its state line; the others are read.
    [ZPOOL_STATUS_ARGV.join(" ")]: ok(status.replace("  pool: tank\n state: ONLINE\n", "  pool: tank\n")),
    [DATASETS_ARGV.join(" ")]: ok(""),
    [SNAPSHOTS_ARGV.join(" ")]: ok(""),
  };
  const result = await createZfsCollector({
    executor: new ScriptedExecutor(script),
    procRoot: "/nonexistent",
  }).collect();
  await harness.ingest("halfread", "zfs", result);
  const answer = await session.call("verify_zfs_integrity", { device: "halfread", dataset: "tank/data" });
  expect(answer.isError).toBeFalsy();
  const s = answer.structuredContent as {
    verdict: string;
    pools: unknown[];
    unread: { name: string | null }[];
  };
  expect([s.verdict, s.pools, s.unread.map((u) => u.name)]).toEqual(["warning", [], ["tank"]]);
  const text = answer.content[0]?.type === "text" ? answer.content[0].text : "";
  expect(text).toContain(
    "- tank: not read (PARSE_FAILED: zpool status: pool tank has no valid state: line (line 1))",
  );
  const all = (await session.call("verify_zfs_integrity", { device: "halfread" })).structuredContent as {
    verdict: string;
    pools: { name: string; verdict: string }[];
  };
  // backup (UNAVAIL) and scratch (FAULTED) fail; fast (DEGRADED) warns; tank is named as not read.
  expect(all.verdict).toBe("failing");
  expect(all.pools.map((p) => p.name).sort()).toEqual(["backup", "fast", "scratch"]);
}, 60_000);
