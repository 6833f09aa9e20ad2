import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { expectItemIsolation } from "@infrastructor/lib/testing/item-isolation.ts";
import { jsonElementDamages, splitJsonArray } from "@infrastructor/lib/testing/json-array-items.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { BackupsDataSchema } from "../schema.ts";
import { createBackupsCollector } from "./index.ts";
import { probeArgv } from "./observe.ts";
import { ProbeConfigSchema } from "./options.ts";
import { parseBorgList } from "./parse-borg-list.ts";
import { parseResticSnapshots } from "./parse-restic-snapshots.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("one unreadable snapshot or archive never changes the others (every capture in testcases/)", () => {
  test.each([
    "handwritten-restic-snapshots-0.17/restic-snapshots.json",
    "handwritten-restic-snapshots-0.16-no-summary/restic-snapshots.json",
  ])("restic snapshots --json: %s", async (name) => {
    const checked = expectItemIsolation({
      label: name,
      text: await fixture(name),
      split: splitJsonArray(),
      parse: parseResticSnapshots,
      key: (s) => s.id,
      damages: jsonElementDamages(["time", "yesterday"], ["id", 42], ["paths", "x"], ["summary", []]),
    });
    expect(checked).toBeGreaterThan(0);
  });

  test("borg list --json: handwritten-borg-list-1.2/borg-list.json", async () => {
    const checked = expectItemIsolation({
      label: "borg 1.2",
      text: await fixture("handwritten-borg-list-1.2/borg-list.json"),
      split: splitJsonArray("archives"),
      parse: parseBorgList,
      key: (a) => a.id,
      damages: jsonElementDamages(["time", 5], ["id", "$(reboot)"], ["name", null]),
    });
    expect(checked).toBeGreaterThan(0);
  });

  test("an empty repository: no snapshots, no errors", async () => {
    expect(
      parseResticSnapshots(await fixture("handwritten-restic-snapshots-empty/restic-snapshots.json")),
    ).toEqual({
      items: [],
      errors: [],
    });
  });
});

describe("a backup probe with one unreadable snapshot", () => {
  const restic = ProbeConfigSchema.parse({
    kind: "restic",
    name: "restic-nas",
    max_age_h: 26,
    repository: "/mnt/restic",
    password_file: "/etc/infrastructor/restic.pw",
  });
  const clock = (): number => Date.parse("2026-11-24T12:00:00Z");
  async function probeWith(stdout: string) {
    const executor = new ScriptedExecutor({ [(probeArgv(restic) ?? []).join(" ")]: { exitCode: 0, stdout } });
    const result = await createBackupsCollector({ executor, probes: [restic], clock }).collect();
    expect(result.errors).toEqual([]);
    return BackupsDataSchema.parse(result.data).probes[0];
  }

  test("judges by the readable ones and names the unreadable one beside them", async () => {
    const snapshots = JSON.parse(
      await fixture("handwritten-restic-snapshots-0.17/restic-snapshots.json"),
    ) as Record<string, unknown>[];
    const damaged = snapshots.map((s, i) => (i === 0 ? { ...s, time: "yesterday" } : s));
    const got = await probeWith(JSON.stringify(damaged));
    expect(got).toMatchObject({
      status: "ok",
      last_success_at: "2026-11-24T01:02:59.880Z",
      item_count: 1,
      error: null,
      item_errors: [
        {
          name: "3f2a9c1d",
          error: { code: ErrorCode.PARSE_FAILED, message: expect.stringContaining("[0].time") },
        },
      ],
    });
  });

  test("none readable: failed, saying why, not 'no backup found'", async () => {
    const got = await probeWith('[{"id": 42}, null]');
    expect(got).toMatchObject({
      status: "failed",
      item_count: 0,
      error: {
        code: ErrorCode.PARSE_FAILED,
        message: expect.stringMatching(/^none of 2 listed backup\(s\)/),
      },
    });
    expect(got?.item_errors).toHaveLength(2);
  });

  test("a clean listing carries no item_errors field (as older agents sent it)", async () => {
    const got = await probeWith(await fixture("handwritten-restic-snapshots-0.17/restic-snapshots.json"));
    expect(got).not.toHaveProperty("item_errors");
  });
});
