import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { attempt, readCounters, readGauges } from "./read.ts";
import { buildFakeRoot, type FakeRoot } from "./testing/fake-root.ts";

describe("attempt", () => {
  test("a failure becomes an error entry with its code and source, and null", async () => {
    const errors: EnvelopeError[] = [];
    const parse = await attempt(errors, "proc/stat", async () => {
      throw new AppError(ErrorCode.PARSE_FAILED, "bad", { details: { line: 1 } });
    });
    const other = await attempt(errors, "proc", async () => {
      throw new Error("x".repeat(5000));
    });
    expect([parse, other]).toEqual([null, null]);
    expect(errors[0]).toEqual({
      code: ErrorCode.PARSE_FAILED,
      message: "bad",
      source: "proc/stat",
      details: { line: 1 },
    });
    // Anything else is READ_FAILED, its message cut to fit the envelope.
    expect([errors[1]?.code, errors[1]?.message.length]).toEqual([ErrorCode.READ_FAILED, 1000]);
  });
});

describe("readCounters and readGauges on the fake root", () => {
  let root: FakeRoot;
  beforeAll(async () => {
    root = await buildFakeRoot();
  });
  afterAll(async () => {
    await rm(root.dir, { recursive: true, force: true });
  });

  test("counters are narrowed to whole disks and non-loopback interfaces", async () => {
    const errors: EnvelopeError[] = [];
    const counters = await readCounters(new LocalExecutor(), root.procRoot, errors);
    expect(errors).toEqual([]);
    expect(counters.stat?.cores).toBe(8);
    expect(counters.disks).toHaveLength(12);
    expect(counters.interfaces?.map((n) => n.interface)).toEqual(["ens33"]);
  });

  test("process_count counts the numeric entries of procRoot only", async () => {
    const gauges = await readGauges(new LocalExecutor(), root.procRoot, []);
    // proc/ holds 1, 42, 4242, net, self and the files.
    expect([gauges.process_count, gauges.uptime_s, gauges.load?.load_15]).toEqual([3, 350735.47, 0.39]);
  });
});
