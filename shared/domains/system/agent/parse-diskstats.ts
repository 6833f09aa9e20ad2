import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { parseFailed, toCount } from "./parse-fields.ts";
import { KeyLedger, type ProcLine, procLines } from "./proc-lines.ts";

const SOURCE = "/proc/diskstats";

/** Cumulative counters of one block device. Sectors here are always 512 bytes, whatever the hardware. */
export interface DiskCounters {
  name: string;
  reads: number;
  read_sectors: number;
  writes: number;
  write_sectors: number;
  /** Milliseconds the device had I/O in flight. */
  io_ticks_ms: number;
}

/** Parsed rows, and the names of every device listed (also of rows that could not be read). */
export interface DiskstatsParse extends ItemsParse<DiskCounters> {
  names: string[];
}

/**
 * Parses /proc/diskstats: `major minor name` then at least 11 counters (4.18 added 4 discard fields,
 * 5.5 two flush fields; they are ignored). Kernels before 2.6.25 printed partitions with only 4
 * counters; those lines are skipped since partitions are not reported anyway. A row that cannot be read
 * is an item error beside the others; the file as a whole is refused when it is cut mid-line or lists a
 * device twice (two dumps run together).
 */
export function parseDiskstats(text: string): DiskstatsParse {
  const lines = procLines(text, SOURCE);
  const devices = new KeyLedger(SOURCE);
  const names: string[] = [];
  for (const at of lines) {
    const name = deviceName(at);
    if (name === null) continue;
    devices.add(name, at);
    names.push(name);
  }
  const parsed = parseEachItem(
    lines.map((at) => ({
      name: deviceName(at) ?? at.tokens[2] ?? null,
      line: at.line,
      text: at.text,
      input: at,
    })),
    (item) => parseRow(item.input),
  );
  const items = parsed.items.filter((disk): disk is DiskCounters => disk !== null);
  return { items, errors: parsed.errors, names };
}

/** The device name of a row that starts like one (`major minor name`); null otherwise. */
function deviceName(at: ProcLine): string | null {
  const [major, minor, name] = at.tokens;
  return /^\d+$/.test(major ?? "") && /^\d+$/.test(minor ?? "") && name !== undefined ? name : null;
}

function parseRow(at: ProcLine): DiskCounters | null {
  const where = { line: at.line, excerpt: at.text };
  const name = deviceName(at);
  if (name === null) throw parseFailed(SOURCE, "row is not `major minor name counters...`", where);
  const counters = at.tokens.slice(3);
  if (counters.length === 4) return null;
  if (counters.length < 11) throw parseFailed(SOURCE, `${name}: fewer than 11 counters`, where);
  const values = counters.map((token, i) => {
    if (!/^\d+$/.test(token)) throw parseFailed(SOURCE, `${name}: counter ${i + 1} is not a number`, where);
    return toCount(token, SOURCE, `${name} counter ${i + 1}`);
  });
  const value = (i: number): number => values[i] ?? 0; // the length was checked above
  return {
    name,
    reads: value(0),
    read_sectors: value(2),
    writes: value(4),
    write_sectors: value(6),
    io_ticks_ms: value(9),
  };
}

/** Block devices that hold no data of their own (RAM disks, loop files, floppies, optical drives). */
const VIRTUAL = /^(loop|ram|zram|fd|sr)\d+$/;

/**
 * The devices worth reporting: whole disks and the logical devices built on them (dm-*, md*), without
 * virtual devices and without partitions, whose I/O is already counted in their disk. A partition is
 * recognised by its parent in the same list: `sda` + digits, or, when the parent's name ends in a digit,
 * parent + `p` + digits (nvme0n1p1, mmcblk0p1, md127p1). So dm-10 is not mistaken for a part of dm-1.
 * `allNames` also holds devices whose row could not be read, so a partition of an unreadable disk is
 * still known as a partition.
 */
export function selectWholeDisks<T extends { name: string }>(
  devices: readonly T[],
  allNames: Iterable<string> = devices.map((device) => device.name),
): T[] {
  const names = new Set(allNames);
  for (const device of devices) names.add(device.name);
  return devices.filter((device) => !VIRTUAL.test(device.name) && !isPartition(device.name, names));
}

function isPartition(name: string, names: ReadonlySet<string>): boolean {
  const afterLetter = /^(.*[a-z])\d+$/.exec(name)?.[1];
  const afterDigit = /^(.*\d)p\d+$/.exec(name)?.[1];
  return (
    (afterLetter !== undefined && names.has(afterLetter)) ||
    (afterDigit !== undefined && names.has(afterDigit))
  );
}
