import { expect, test } from "bun:test";
import { parseCommand } from "@infrastructor/agent/parse-command.ts";
import { ZFS_PARSE_SOURCES } from "./parse-sources.ts";
import { fixture, zpoolStatusExporterCapture } from "./testing/captures.ts";

/** `agent parse zfs <source>` on a file of each source, as a user would run it. */
async function agentParse(
  source: string,
  stdin: string,
): Promise<{ status: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const status = await parseCommand(["zfs", source], {
    stdin: async () => stdin,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { status, out, err };
}

test("every source parses the output of the command it describes", async () => {
  const inputs: Record<string, string> = {
    "zpool-list": await fixture("telegraf-freenas/zpool-list.txt"),
    "zpool-status": await zpoolStatusExporterCapture("scrub_in_progress"),
    "zfs-list": await fixture("handwritten-tank-backup/zfs-list.txt"),
    "zfs-snapshots": await fixture("handwritten-tank-backup/zfs-snapshots.txt"),
    arcstats: await fixture("node-exporter-arcstats/arcstats.txt"),
  };
  expect(Object.keys(ZFS_PARSE_SOURCES).sort()).toEqual(Object.keys(inputs).sort());
  for (const [source, text] of Object.entries(inputs)) {
    const result = await agentParse(source, text);
    expect([source, result.status, result.err]).toEqual([source, 0, ""]);
    expect(JSON.parse(result.out)).toEqual(
      JSON.parse(JSON.stringify(ZFS_PARSE_SOURCES[source]?.parse(text))),
    );
  }
});

test("a truncated line is that pool's item error, naming the line; the other pools are printed", async () => {
  const good = "tank\tONLINE\t10\t4\t6\t1\t40\t1.00\n";
  const result = await agentParse("zpool-list", `${good}zroot\tONLINE\t67108864000\n`);
  expect([result.status, result.err]).toEqual([0, ""]);
  const parsed = JSON.parse(result.out);
  expect(parsed.items.map((p: { name: string }) => p.name)).toEqual(["tank"]);
  expect(parsed.errors[0]).toMatchObject({ name: "zroot", error: { code: "PARSE_FAILED", line: 2 } });
  expect(parsed.errors[0].error.message).toContain("zpool list: expected 8 tab-separated fields");
});

test("output that is not zpool status at all exits 2 and names the line", async () => {
  const result = await agentParse("zpool-status", "hello world\n");
  expect(result.status).toBe(2);
  expect(result.err).toContain("PARSE_FAILED: zpool status:");
  expect(result.err).toContain("(line 1)");
});
