import { parseFailed, toCount, tokenLines } from "./parse-fields.ts";

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

/**
 * Parses /proc/diskstats: `major minor name` then at least 11 counters (4.18 added 4 discard fields,
 * 5.5 two flush fields; they are ignored). Kernels before 2.6.25 printed partitions with only 4
 * counters; those lines are skipped since partitions are not reported anyway.
 */
export function parseDiskstats(text: string): DiskCounters[] {
  const disks: DiskCounters[] = [];
  for (const tokens of tokenLines(text)) {
    const [, , name, ...counters] = tokens;
    if (name === undefined || counters.length === 4) continue;
    if (counters.length < 11) throw parseFailed(SOURCE, `${name}: fewer than 11 counters`, tokens.join(" "));
    const values = counters.map((token, i) => toCount(token, SOURCE, `${name} counter ${i + 1}`));
    const at = (i: number): number => values[i] ?? 0; // the length was checked above
    disks.push({
      name,
      reads: at(0),
      read_sectors: at(2),
      writes: at(4),
      write_sectors: at(6),
      io_ticks_ms: at(9),
    });
  }
  return disks;
}

/** Block devices that hold no data of their own (RAM disks, loop files, floppies, optical drives). */
const VIRTUAL = /^(loop|ram|zram|fd|sr)\d+$/;

/**
 * The devices worth reporting: whole disks and the logical devices built on them (dm-*, md*), without
 * virtual devices and without partitions, whose I/O is already counted in their disk. A partition is
 * recognised by its parent in the same list: `sda` + digits, or, when the parent's name ends in a digit,
 * parent + `p` + digits (nvme0n1p1, mmcblk0p1, md127p1). So dm-10 is not mistaken for a part of dm-1.
 */
export function selectWholeDisks<T extends { name: string }>(devices: readonly T[]): T[] {
  const names = new Set(devices.map((device) => device.name));
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
