import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { HwmonChip } from "./parse-hwmon.ts";
import { attempt } from "./read.ts";

/** The attributes read per chip: its name and, per temperature input, value, label and limits. */
const WANTED = /^(name|temp\d+_(input|label|max|crit))$/;
const MAX_ATTRIBUTE_BYTES = 256;

export interface HwmonRead {
  chips: HwmonChip[];
  errors: EnvelopeError[];
}

/**
 * Reads every /sys/class/hwmon/hwmonN. Errors are collected in the result rather than in a caller's
 * list, because a caller that gave up waiting (a hung sensor) must not see its list change later.
 * A directory that cannot be listed at all is an error of the whole source and rejects, except that
 * a sysfs without a `hwmon` class is a machine without sensors (most VMs and many ARM boards: the
 * class appears only once a hwmon driver registers), which is no error: every sample and every live
 * read would otherwise carry one.
 */
export async function readHwmonChips(executor: Executor, sysRoot: string): Promise<HwmonRead> {
  const classDir = `${sysRoot}/class/hwmon`;
  let listed: string[];
  try {
    listed = await executor.listDir(classDir);
  } catch (err) {
    if (!(err instanceof AppError && err.code === ErrorCode.NOT_FOUND)) throw err;
    // sysfs itself missing (not mounted, wrong root) is still an error: listDir of class/ throws.
    await executor.listDir(`${sysRoot}/class`);
    return { chips: [], errors: [] };
  }
  const dirs = listed.filter((entry) => /^hwmon\d+$/.test(entry));
  const errors: EnvelopeError[] = [];
  const chips = await Promise.all(dirs.map((dir) => readChip(executor, `${classDir}/${dir}`, dir, errors)));
  return { chips: chips.filter((chip): chip is HwmonChip => chip !== null), errors };
}

async function readChip(
  executor: Executor,
  path: string,
  dir: string,
  errors: EnvelopeError[],
): Promise<HwmonChip | null> {
  let base = path;
  let entries = await attempt(errors, "hwmon", () => executor.listDir(path));
  if (entries === null) return null;
  // Drivers before Linux 3.x kept their attributes in the parent device's directory.
  if (!entries.includes("name") && entries.includes("device")) {
    const deviceEntries = await attempt(errors, "hwmon", () => executor.listDir(`${path}/device`));
    if (deviceEntries?.includes("name")) {
      base = `${path}/device`;
      entries = deviceEntries;
    }
  }
  const wanted = entries.filter((entry) => WANTED.test(entry));
  const values = await Promise.all(
    wanted.map((file) =>
      // A sensor can fail a read (EIO, ENODATA while asleep): that attribute is reported and left out.
      attempt(errors, "hwmon", () => executor.readFile(`${base}/${file}`, { maxBytes: MAX_ATTRIBUTE_BYTES })),
    ),
  );
  const files = new Map<string, string>();
  wanted.forEach((file, i) => {
    const value = values[i];
    if (value !== null && value !== undefined) files.set(file, value.trim());
  });
  return { dir, files };
}
