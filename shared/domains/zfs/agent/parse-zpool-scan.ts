import type { ZfsScan } from "../schema.ts";
import { localTimeOrNull, sizeOrNull } from "./zfs-values.ts";

const NONE: ZfsScan = {
  function: "none",
  state: "none",
  done_pct: null,
  repaired_bytes: null,
  errors: null,
  at_local: null,
};

type Rule = (m: RegExpExecArray, more: string) => ZfsScan | null;

/**
 * The forms zpool status prints for a scan-like activity, from OpenZFS cmd/zpool/zpool_main.c (and
 * Solaris' print_scrub_status for the `scrub:` entry of old releases). Each rule answers null when a
 * value in the line cannot be read (a date that is not a date), and the line is then `unknown`.
 */
const RULES: [RegExp, Rule][] = [
  [/^none requested$/, () => NONE],
  // print_rebuild_status_impl (sequential resilver of one top-level vdev, e.g. dRAID):
  // "resilvered (%s) %s in %s with %llu errors on %s".
  [
    /^resilvered \((.+)\) (\S+) in .+? with (\d+) errors on (.+)$/,
    (m) => sequential(finished("resilver", m[2], m[3], m[4]), m[1]),
  ],
  [/^resilver \((.+)\) canceled on (.+)$/, (m) => sequential(at("resilver", "canceled", m[2]), m[1])],
  [
    /^resilver \((.+)\) in progress since (.+)$/,
    (m, more) => sequential(progress(at("resilver", "in_progress", m[2]), more), m[1]),
  ],
  // print_scan_scrub_resilver_status, finished: "scrub repaired %s in %s with %llu errors on %s",
  // "resilvered %s in %s with ..." (%s = secs_to_dhms: "HH:MM:SS" or "D days HH:MM:SS"; older
  // releases "%lluh%um"). A line cut short (a `<snip>` in one capture) keeps what it says.
  [
    /^(?:(scrub) repaired|(resilver)ed) (\S+) in .+?(?: with (\d+) errors on (.+))?$/,
    (m) => finished(m[1] === "scrub" ? "scrub" : "resilver", m[3], m[4], m[5]),
  ],
  // print_scan_scrub_resilver_status: in progress, paused (`zpool scrub -p`), canceled.
  [/^(scrub|resilver) in progress since (.+)$/, (m, more) => progress(at(m[1], "in_progress", m[2]), more)],
  [/^(scrub|resilver) paused since (.+)$/, (m, more) => progress(at(m[1], "paused", m[2]), more)],
  [/^(scrub|resilver) canceled on (.+)$/, (m) => at(m[1], "canceled", m[2])],
  // print_err_scrub_status (`zpool scrub -e`, printed as ` scrub:`).
  [
    /^scrubbed (\d+) error blocks in .+? on (.+)$/,
    (m) => with_(at("errorscrub", "finished", m[2]), { error_blocks: Number(m[1]) }),
  ],
  [/^error scrub canceled on (.+)$/, (m) => at("errorscrub", "canceled", m[1])],
  [
    /^error scrub (in progress|paused) since (.+)$/,
    (m, more) =>
      with_(progress(at("errorscrub", m[1] === "paused" ? "paused" : "in_progress", m[2]), more), {
        error_blocks: numberIn(/issued I\/O for (\d+) error blocks/, more),
      }),
  ],
  // Solaris print_scrub_status: "%s %s after %lluh%um with %llu errors on %s" (completed|stopped) and
  // "%s in progress for %lluh%um, %.2f%% done, %lluh%um to go".
  [
    /^(scrub|resilver) (completed|stopped) after \S+ with (\d+) errors on (.+)$/,
    (m) => {
      const scan = at(m[1], m[2] === "completed" ? "finished" : "canceled", m[4]);
      return scan && { ...scan, errors: Number(m[3]) };
    },
  ],
  [
    /^(scrub|resilver) in progress for \S+, ([\d.]+)% done/,
    (m) => ({ ...NONE, function: fn(m[1]), state: "in_progress", done_pct: pctOf(m[2]) }),
  ],
  // print_removal_status (`remove:`).
  [
    /^Removal of vdev \d+ copied (\S+) in \S+, completed on (.+)$/,
    (m) => with_(at("removal", "finished", m[2]), { copied_bytes: sizeOrNull(m[1]) }),
  ],
  [/^Removal of (.+) canceled on (.+)$/, (m) => with_(at("removal", "canceled", m[2]), { vdev: m[1] })],
  [
    /^Evacuation of (.+) in progress since (.+)$/,
    (m, more) =>
      with_(progress(at("removal", "in_progress", m[2]), more), {
        vdev: m[1],
        copied_bytes: sizeOrNull(/(\S+) copied out of/.exec(more)?.[1]),
      }),
  ],
  // print_raidz_expand_status (`expand:`, OpenZFS 2.3): "expanded %s-%u copied %s in %s, on %s",
  // "expansion of %s-%u in progress since %s" + ", paused for resilver or clear".
  [
    /^expanded (\S+) copied (\S+) in .+?, on (.+)$/,
    (m) => with_(at("expand", "finished", m[3]), { vdev: m[1], copied_bytes: sizeOrNull(m[2]) }),
  ],
  [
    /^expansion of (\S+) in progress since (.+)$/,
    (m, more) =>
      with_(progress(at("expand", /paused for resilver/.test(more) ? "paused" : "in_progress", m[2]), more), {
        vdev: m[1],
        copied_bytes: sizeOrNull(/(\S+) \/ \S+ copied/.exec(more)?.[1]),
      }),
  ],
];

/**
 * One scan-like entry of `zpool status` (`scan:`, ` scrub:`, `remove:`, `expand:`): its first line and
 * the progress lines below it. Never throws: a line of no known form (or with a value that cannot be
 * read) is `{function: "unknown", state: "unknown", text}`, so the pool is still reported.
 */
export function parseScan(first: string, more: readonly string[]): ZfsScan {
  const line = first.trim();
  const rest = more.join("\n");
  for (const [pattern, rule] of RULES) {
    const m = pattern.exec(line);
    const scan = m ? rule(m, rest) : null;
    if (scan) return scan;
  }
  return { ...NONE, function: "unknown", state: "unknown", text: line.slice(0, 1024) };
}

function fn(token: string | undefined): "scrub" | "resilver" {
  return token === "resilver" ? "resilver" : "scrub";
}

function at(func: string | undefined, state: ZfsScan["state"], date: string | undefined): ZfsScan | null {
  const when = localTimeOrNull(date);
  if (when === null) return null;
  const f: ZfsScan["function"] =
    func === "errorscrub" || func === "removal" || func === "expand" ? func : fn(func);
  return { ...NONE, function: f, state, at_local: when };
}

function finished(
  func: "scrub" | "resilver",
  repaired: string | undefined,
  errors: string | undefined,
  date: string | undefined,
): ZfsScan | null {
  const bytes = sizeOrNull(repaired);
  if (bytes === null) return null;
  const scan = date === undefined ? { ...NONE, function: func } : at(func, "finished", date);
  if (scan === null) return null;
  return {
    ...scan,
    state: "finished",
    repaired_bytes: bytes,
    errors: errors === undefined ? null : Number(errors),
  };
}

function sequential(scan: ZfsScan | null, vdev: string | undefined): ZfsScan | null {
  return scan && { ...scan, method: "sequential", vdev: vdev === undefined ? null : vdev.slice(0, 1024) };
}

function with_(scan: ZfsScan | null, extra: Partial<ZfsScan>): ZfsScan | null {
  if (scan === null) return null;
  const vdev = extra.vdev === undefined || extra.vdev === null ? extra.vdev : extra.vdev.slice(0, 1024);
  return vdev === undefined ? { ...scan, ...extra } : { ...scan, ...extra, vdev };
}

/** From the progress lines: `0B repaired, 0.00% done` or `21K resilvered, 12.5% done`. */
function progress(scan: ZfsScan | null, more: string): ZfsScan | null {
  if (scan === null) return null;
  const repaired = /(\S+) (?:repaired|resilvered),/.exec(more);
  return {
    ...scan,
    done_pct: pctOf(/(\d+(?:\.\d+)?)% done/.exec(more)?.[1]),
    repaired_bytes: sizeOrNull(repaired?.[1]),
  };
}

function pctOf(token: string | undefined): number | null {
  return token === undefined ? null : Math.min(100, Number(token));
}

function numberIn(pattern: RegExp, text: string): number | null {
  const m = pattern.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}
