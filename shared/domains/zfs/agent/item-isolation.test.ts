import { describe, expect, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  expectItemIsolation,
  type ItemSegments,
  splitLines,
} from "@infrastructor/lib/testing/item-isolation.ts";
import { fixture } from "./fixtures.ts";
import { parseZfsDatasets, parseZfsSnapshots } from "./parse-zfs-list.ts";
import { parseZpoolList } from "./parse-zpool-list.ts";
import { parseZpoolStatus } from "./parse-zpool-status.ts";

/**
 * The per-item isolation property on every zfs capture of testdata/ (the team's fixtures/zfs copies
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

/** zpool-status-exporter's captures start with its harness line (fixtures.ts). */
async function capture(name: string): Promise<string> {
  const text = await fixture(name);
  return text.startsWith("TEST_TIMESTAMP=") ? text.slice(text.indexOf("\n") + 1) : text;
}

type Kind = "zpool-list" | "zpool-status" | "datasets" | "snapshots" | "arcstats" | "none";

/** What each capture is; `none` for outputs with no items to isolate (one value, or no pools). */
const CAPTURES: Record<string, { kind: Kind; columns?: string[] }> = {
  "handwritten__zfs_list_datasets.txt": { kind: "datasets" },
  "handwritten__zfs_list_snapshots.txt": { kind: "snapshots" },
  "handwritten__zpool_list_tank_backup.txt": { kind: "zpool-list" },
  "handwritten__zpool_list_unavail_faulted.txt": { kind: "zpool-list" },
  "handwritten__zpool_status_no_pools.txt": { kind: "none" },
  "handwritten__zpool_status_resilver_and_canceled.txt": { kind: "zpool-status" },
  "handwritten__zpool_status_v_scan_forms.txt": { kind: "zpool-status" },
  "handwritten__zpool_status_v_unavail_faulted.txt": { kind: "zpool-status" },
  "jc__zpool_status_DEGRADED_unavail_disk.txt": { kind: "zpool-status" },
  "jc__zpool_status_healthy_mirror_scrub_done.txt": { kind: "zpool-status" },
  "jc__zpool_status_spares.txt": { kind: "zpool-status" },
  "kolkhis__zpool_status_v_SUSPENDED_list_unavailable.txt": { kind: "zpool-status" },
  "kolkhis__zpool_status_v_permanent_errors_snapshots.txt": { kind: "zpool-status" },
  "kolkhis__zpool_status_v_scrub_in_progress_permanent_errors.txt": { kind: "zpool-status" },
  "pastebin__zpool_status_v_illumos_raidz_pool_and_vdev_cksum.txt": { kind: "zpool-status" },
  "node_exporter__proc_spl_kstat_zfs_arcstats.txt": { kind: "arcstats" },
  "telegraf__proc_spl_kstat_zfs_arcstats_issue17952.txt": { kind: "arcstats" },
  "telegraf__zfs_list_Hp_datasets_freebsd14.txt": {
    kind: "datasets",
    columns: ["name", "avail", "used", "usedsnap", "usedds"],
  },
  "telegraf__zpool_list_Hp_freebsd14.txt": { kind: "zpool-list" },
  "telegraf__zpool_list_Hp_freenas.txt": { kind: "zpool-list" },
  "textfile-collector__zfs_list_pH_snapshot_name_used_creation.txt": {
    kind: "snapshots",
    columns: ["name", "used", "creation"],
  },
  "zpool-status-exporter__DEGRADED_corrupted_label.txt": { kind: "zpool-status" },
  "zpool-status-exporter__DEGRADED_unavail_disk.txt": { kind: "zpool-status" },
  "zpool-status-exporter__new_pool_never_scanned.txt": { kind: "zpool-status" },
  "zpool-status-exporter__online_data_corruption.txt": { kind: "zpool-status" },
  "zpool-status-exporter__resilvered.txt": { kind: "zpool-status" },
  "zpool-status-exporter__scrub_in_progress.txt": { kind: "zpool-status" },
};

test("every capture in testdata/ is named here with its parser", async () => {
  const files = (await readdir(join(import.meta.dir, "testdata"))).filter((f) => f.endsWith(".txt"));
  expect(files.sort()).toEqual(Object.keys(CAPTURES).sort());
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
  const text = await capture("handwritten__zpool_status_v_scan_forms.txt");
  const { items } = splitPoolBlocks(text);
  expect(items).toHaveLength(4);
  // The block losing its `pool:` line: its lines are one nameless item error, the 3 other pools intact.
  const damaged = text.replace("  pool: wide\n", "");
  const parsed = parseZpoolStatus(damaged);
  expect(parsed.items.map((p) => p.name)).toEqual(["dpool", "shrink", "archive"]);
  expect(parsed.errors.map((e) => e.name)).toEqual([null]);
});
