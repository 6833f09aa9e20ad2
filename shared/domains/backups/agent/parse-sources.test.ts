import { expect, test } from "bun:test";
import { join } from "node:path";
import { parseCommand } from "@infrastructor/agent/parse-command.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

async function agentParse(
  source: string,
  stdin: string,
): Promise<{ status: number; out: string; err: string }> {
  const io = { out: "", err: "" };
  const status = await parseCommand(["backups", source], {
    stdin: async () => stdin,
    out: (t) => {
      io.out += t;
    },
    err: (t) => {
      io.err += t;
    },
  });
  return { status, ...io };
}

test("agent parse backups restic-snapshots / borg-list print the normalized listing", async () => {
  const restic = await agentParse(
    "restic-snapshots",
    await fixture("handwritten-restic-snapshots-0.17/restic-snapshots.json"),
  );
  expect([restic.status, restic.err]).toEqual([0, ""]);
  // Items and the item errors beside them (none here).
  expect(JSON.parse(restic.out).errors).toEqual([]);
  expect(JSON.parse(restic.out).items.map((s: { ended_at: string }) => s.ended_at)).toEqual([
    "2026-11-23T01:03:44.130Z",
    "2026-11-24T01:02:59.880Z",
  ]);
  const borg = await agentParse("borg-list", await fixture("handwritten-borg-list-1.2/borg-list.json"));
  expect([borg.status, borg.err, JSON.parse(borg.out).items.length]).toEqual([0, "", 2]);
});

test("a cut listing exits 2 with PARSE_FAILED and the line", async () => {
  const result = await agentParse("borg-list", '{\n  "archives": [\n    {"name": "x",');
  expect(result.status).toBe(2);
  expect(result.err).toStartWith("PARSE_FAILED: borg list --json: not JSON");
  expect(result.err).toContain("(line 3)");
});
