import type { ZfsScan } from "@infrastructor/shared/schemas/zfs.ts";
import { fail, toBytes, toCount, toLocalTime, type Where } from "./zfs-values.ts";

const NONE: ZfsScan = {
  function: "none",
  state: "none",
  done_pct: null,
  repaired_bytes: null,
  errors: null,
  at_local: null,
};

/**
 * The `scan:` entry of `zpool status` (`scrub:` on Solaris-era releases): its first line and the
 * progress lines below it. Forms, from zpool_main.c's print_scan_status:
 *   none requested
 *   scrub repaired 0B in 11:16:03 with 0 errors on Sun Feb 12 11:40:04 2023
 *   resilvered 21K in 00:00:00 with 0 errors on Sat Feb 10 20:30:44 2024
 *   scrub in progress since Sun Feb 11 11:54:20 2024   (+ "... 0B repaired, 0.00% done, ...")
 *   scrub paused since ... / scrub canceled on ...
 *   scrub completed after 0h0m with 0 errors on ...    (Solaris)
 * A finished line cut short (a `<snip>` in one capture) keeps what it has; anything else is refused.
 */
export function parseScan(first: string, more: readonly string[], where: Where): ZfsScan {
  const line = first.trim();
  if (line === "none requested") return NONE;
  let m = /^(scrub|resilver) in progress since (.+)$/.exec(line);
  if (m)
    return {
      ...progress(more, where),
      function: fn(m[1]),
      state: "in_progress",
      at_local: toLocalTime(m[2] ?? "", where),
    };
  m = /^(scrub|resilver) paused since (.+)$/.exec(line);
  if (m)
    return {
      ...progress(more, where),
      function: fn(m[1]),
      state: "paused",
      at_local: toLocalTime(m[2] ?? "", where),
    };
  m = /^(scrub|resilver) canceled on (.+)$/.exec(line);
  if (m) return { ...NONE, function: fn(m[1]), state: "canceled", at_local: toLocalTime(m[2] ?? "", where) };
  m = /^(?:(scrub) repaired|(resilver)ed) (\S+) in (?:.+?)(?: with (\S+) errors on (.+))?$/.exec(line);
  if (m) {
    return {
      function: m[1] === "scrub" ? "scrub" : "resilver",
      state: "finished",
      done_pct: null,
      repaired_bytes: toBytes(m[3], "repaired", where),
      errors: m[4] === undefined ? null : toCount(m[4], "errors", where),
      at_local: m[5] === undefined ? null : toLocalTime(m[5], where),
    };
  }
  m = /^(scrub|resilver) completed after \S+ with (\d+) errors on (.+)$/.exec(line);
  if (m) {
    return {
      ...NONE,
      function: fn(m[1]),
      state: "finished",
      errors: Number(m[2]),
      at_local: toLocalTime(m[3] ?? "", where),
    };
  }
  throw fail(where, "unknown scan status");
}

function fn(token: string | undefined): "scrub" | "resilver" {
  return token === "resilver" ? "resilver" : "scrub";
}

/** From the progress lines: `0B repaired, 0.00% done` or `21K resilvered, 12.5% done`. */
function progress(
  more: readonly string[],
  where: Where,
): Pick<ZfsScan, "done_pct" | "repaired_bytes" | "errors"> {
  const text = more.join(" ");
  const done = /(\d+(?:\.\d+)?)% done/.exec(text);
  const repaired = /(\S+) (?:repaired|resilvered),/.exec(text);
  return {
    done_pct: done ? Math.min(100, Number(done[1])) : null,
    repaired_bytes: repaired ? toBytes(repaired[1], "repaired", where) : null,
    errors: null,
  };
}
