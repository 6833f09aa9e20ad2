import { expect, test } from "bun:test";
import { ZfsDataSchema } from "./schema.ts";

/** A sample as agents before issue 13 sent it: numbers for every size, three scan functions, no lists. */
const OLDER_AGENT = {
  pools: {
    ok: true,
    value: [
      {
        name: "tank",
        health: "ONLINE",
        size_bytes: 10,
        alloc_bytes: 4,
        free_bytes: 6,
        fragmentation_pct: null,
        capacity_pct: 40,
        dedup_ratio: 1,
      },
    ],
  },
  status: {
    ok: true,
    value: [
      {
        name: "tank",
        state: "ONLINE",
        status_text: null,
        action_text: null,
        scan: {
          function: "scrub",
          state: "finished",
          done_pct: null,
          repaired_bytes: 0,
          errors: 0,
          at_local: "2024-02-04T20:54:25",
        },
        vdevs: [],
        errors_text: "1 data errors, use '-v' for a list",
        data_errors: 1,
      },
    ],
  },
  datasets: { ok: true, value: [] },
  snapshots: null,
  arc: { ok: false, error: { code: "NOT_FOUND", message: "no /proc/spl" } },
};

test("messages of older agents still validate, unchanged", () => {
  expect(ZfsDataSchema.parse(OLDER_AGENT)).toEqual(OLDER_AGENT as never);
});

test("new fields: null sizes, item errors, activities, damaged files", () => {
  const data = structuredClone(OLDER_AGENT) as typeof OLDER_AGENT & Record<string, unknown>;
  Object.assign(data.pools.value[0] as object, { size_bytes: null, capacity_pct: null, dedup_ratio: null });
  Object.assign(data.pools, {
    item_errors: [
      { name: "backup", error: { code: "PARSE_FAILED", message: "x", line: 2, excerpt: "backup" } },
    ],
  });
  Object.assign(data.status.value[0] as object, {
    activities: [
      {
        function: "removal",
        state: "in_progress",
        done_pct: 44.12,
        repaired_bytes: null,
        errors: null,
        at_local: "2024-03-05T04:00:00",
        vdev: "sdk",
        copied_bytes: 4831838208,
      },
    ],
    error_files: ["/tank/a", "tank/ds:<0x1>"],
    error_files_total: 2,
  });
  expect(ZfsDataSchema.parse(data)).toEqual(data as never);
  const tooMany = structuredClone(data);
  Object.assign(tooMany.status.value[0] as object, {
    error_files: Array.from({ length: 101 }, (_, i) => `/f${i}`),
  });
  expect(ZfsDataSchema.safeParse(tooMany).success).toBe(false);
});
