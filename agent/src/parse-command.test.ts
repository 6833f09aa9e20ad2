import { expect, test } from "bun:test";
import { join } from "node:path";
import { type ParseIo, parseCommand } from "./parse-command.ts";

const testcases = join(import.meta.dir, "../../shared/domains/system/agent/testcases");

function io(stdin: string): ParseIo & { stdout: string; stderr: string } {
  const captured = { stdout: "", stderr: "" };
  return Object.assign(captured, {
    stdin: async () => stdin,
    out: (t: string) => {
      captured.stdout += t;
    },
    err: (t: string) => {
      captured.stderr += t;
    },
  });
}

test("parses a captured file and prints the normalized JSON", async () => {
  const capture = await Bun.file(join(testcases, "node-exporter-proc/proc-loadavg.txt")).text();
  const out = io(capture);
  expect(await parseCommand(["system", "proc-loadavg"], out)).toBe(0);
  expect(JSON.parse(out.stdout)).toEqual({ load_1: 0.21, load_5: 0.37, load_15: 0.39 });
});

test("unreadable input exits 2 with PARSE_FAILED and the offending text", async () => {
  const out = io("garbage here\n");
  expect(await parseCommand(["system", "proc-loadavg"], out)).toBe(2);
  expect(out.stderr).toContain("PARSE_FAILED: /proc/loadavg");
  expect(out.stderr).toContain("garbage here");
});

test("an unknown domain or source exits 2 and lists the sources", async () => {
  const out = io("");
  expect(await parseCommand(["system", "nope"], out)).toBe(2);
  expect(out.stderr).toContain("no parser system nope");
  expect(out.stderr).toContain("system proc-meminfo");
  const help = io("");
  expect(await parseCommand(["--help"], help)).toBe(0);
  expect(help.stdout).toContain("system proc-diskstats");
});
