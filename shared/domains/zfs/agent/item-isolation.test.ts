import { describe, expect, test } from "bun:test";
import {
  expectItemIsolation,
  type ItemSegments,
  splitLines,
} from "@infrastructor/lib/testing/item-isolation.ts";
import { allCaseInputs, sourceOf } from "@infrastructor/lib/testing/walk-testcases.ts";
import { parseZfsDatasets, parseZfsSnapshots } from "./parse-zfs-list.ts";
import { parseZpoolList } from "./parse-zpool-list.ts";
import { parseZpoolStatus } from "./parse-zpool-status.ts";
import { fixture } from "./testing/captures.ts";

/**
 * The per-item isolation property on every zfs capture of testcases/ (the team's fixtures/zfs copies
 * are byte-identical; the ones not copied are sources the collector does not read): damaging one item
 * (a `zpool list`/`zfs list` line, a `zpool status` pool block) leaves every other item parsed exactly
 * as before. Each capture is named here with the parser it is for, and a new capture must be too.
 */
const POOL_LINE = /^ {0,8}pool: /;

/** `zpool status` cut into pool blocks: from a `pool:` line up to the next one. */
function splitPoolBlocks(text: string): ItemSegments {
  const trailing = text.endsWith("\n");
  const lines = (trailing ? text.slice(0, -1) : text).split("\n");
  const starts = lines.flatMap((l, i) => (POOL_LINE.test(l) ? [i] : []));
  const first = starts[0] ?? lines.length;
  return {
    prefix: first > 0 ? `${lines.slice(0, first).join("\n")}\n` : "",
    items: starts.map((s, i) => lines.slice(s, starts[i + 1] ?? lines.length).join("\n")),
    separator: "\n",
    suffix: trailing ? "\n" : "",
  };
}

/** zpool-status-exporter's captures start with its harness line (testing/captures.ts). */
async function capture(name: string): Promise<string> {
  const text = await fixture(name);
  return text.startsWith("TEST_TIMESTAMP=") ? text.slice(text.indexOf("\n") + 1) : text;
}

type Kind = "zpool-list" | "zpool-status" | "datasets" | "snapshots" | "arcstats" | "none";

/** What an input is, from the parse source it is named after (`<case>/zpool-status.txt`). */
const KIND_OF_SOURCE: Record<string, Kind> = {
  "zpool-list": "zpool-list",
  "zpool-status": "zpool-status",
  "zfs-list": "datasets",
  "zfs-snapshots": "snapshots",
  arcstats: "arcstats",
};

/** Inputs that are not what their name alone says: `none` (no items to isolate), or other columns. */
const EXCEPTIONS: Record<string, { kind: Kind; columns?: string[] }> = {
  "handwritten-no-pools/zpool-status.txt": { kind: "none" },
  "telegraf-freebsd14/zfs-list.txt": {
    kind: "datasets",
    columns: ["name", "avail", "used", "usedsnap", "usedds"],
  },
  "textfile-collector-snapshots/zfs-snapshots.txt": {
    kind: "snapshots",
    columns: ["name", "used", "creation"],
  },
};

/** Every capture of testcases/ with its parser: a new case folder is checked without a line here. */
const INPUTS = allCaseInputs(import.meta.dir).filter((f) => f.endsWith(".txt"));
const kindOf = (path: string): Kind | undefined =>
  KIND_OF_SOURCE[sourceOf(path.slice(path.indexOf("/") + 1))];
type Capture = { kind: Kind; columns?: string[] };
const CAPTURES: Record<string, Capture> = Object.fromEntries(
  INPUTS.flatMap((path): [string, Capture][] => {
    const kind = kindOf(path);
    const capture = EXCEPTIONS[path] ?? (kind ? { kind } : undefined);
    return capture ? [[path, capture]] : [];
  }),
);

test("every capture in testcases/ has a parser by its name, and every exception is a capture", () => {
  expect(INPUTS.filter((path) => kindOf(path) === undefined)).toEqual([]);
  expect(Object.keys(EXCEPTIONS).filter((path) => !INPUTS.includes(path))).toEqual([]);
});

const byName = (item: { name: string }): string => item.name;

describe("one damaged item never changes another", () => {
  for (const [name, { kind, columns }] of Object.entries(CAPTURES)) {
    if (kind === "none" || kind === "arcstats") continue;
    test(`${kind}: ${name}`, async () => {
      const text = await capture(name);
      let checked: number;
      if (kind === "zpool-list") {
        checked = expectItemIsolation({
          label: name,
          text,
          split: splitLines(),
          parse: parseZpoolList,
          key: byName,
        });
      } else if (kind === "zpool-status") {
        checked = expectItemIsolation({
          label: name,
          text,
          split: splitPoolBlocks,
          parse: parseZpoolStatus,
          key: byName,
        });
      } else if (kind === "datasets") {
        const parse = (t: string) => parseZfsDatasets(t, columns);
        checked = expectItemIsolation({ label: name, text, split: splitLines(), parse, key: byName });
      } else {
        // The textfile-collector mock lists each name twice (real zfs never does): the key is the
        // whole line, as the mock's columns print it.
        const parse = (t: string) => parseZfsSnapshots(t, columns);
        const key = (s: { name: string; used_bytes: number; created_s: number }): string =>
          columns ? `${s.name}\t${s.used_bytes}\t${s.created_s}` : s.name;
        checked = expectItemIsolation({ label: name, text, split: splitLines(), parse, key });
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});

test("multi-pool status: damaging one pool's block in every way leaves the other pools and no orphan lines", async () => {
  const text = await capture("handwritten-scan-forms/zpool-status.txt");
  const { items } = splitPoolBlocks(text);
  expect(items).toHaveLength(4);
  // The block losing its `pool:` line: its lines are one nameless item error, the 3 other pools intact.
  const damaged = text.replace("  pool: wide\n", "");
  const parsed = parseZpoolStatus(damaged);
  expect(parsed.items.map((p) => p.name)).toEqual(["dpool", "shrink", "archive"]);
  expect(parsed.errors.map((e) => e.name)).toEqual([null]);
});
