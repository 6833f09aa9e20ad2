import { type ItemsParse, parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { parseFailed } from "./parse-fields.ts";
import { type ProcLine, procLines } from "./proc-lines.ts";

const SOURCE = "/proc/mounts";

export interface MountEntry {
  device: string;
  mountpoint: string;
  fstype: string;
  options: string;
}

/**
 * Parses /proc/self/mounts (fstab format: device mountpoint fstype options dump pass). A line that
 * cannot be read is an item error beside the others. Identical lines are legitimate (the same
 * filesystem mounted twice on one place), so only a table that starts over (its first two lines again,
 * in order: two dumps run together) or a text cut mid-line is refused as a whole.
 */
export function parseMounts(text: string): ItemsParse<MountEntry> {
  const lines = procLines(text, SOURCE);
  const [first, second] = lines;
  if (first !== undefined && second !== undefined) {
    for (let i = 2; i + 1 < lines.length; i++) {
      const at = lines[i] as ProcLine;
      if (at.text === first.text && lines[i + 1]?.text === second.text) {
        throw parseFailed(SOURCE, "the table starts over: two dumps run together?", {
          line: at.line,
          excerpt: at.text,
        });
      }
    }
  }
  return parseEachItem(
    lines.map((at) => ({
      name: at.tokens[1] === undefined ? null : unescapeOctal(at.tokens[1]),
      line: at.line,
      text: at.text,
      input: at,
    })),
    (item) => parseLine(item.input),
  );
}

function parseLine(at: ProcLine): MountEntry {
  const { tokens } = at;
  const [device, mountpoint, fstype, options, dump, pass] = tokens;
  if (tokens.length !== 6 || !/^\d+$/.test(dump ?? "") || !/^\d+$/.test(pass ?? "")) {
    throw parseFailed(SOURCE, "line is not `device mountpoint fstype options dump pass`", {
      line: at.line,
      excerpt: at.text,
    });
  }
  return {
    device: unescapeOctal(device ?? ""),
    mountpoint: unescapeOctal(mountpoint ?? ""),
    fstype: fstype ?? "",
    options: unescapeOctal(options ?? ""),
  };
}

/** The kernel writes space, tab, newline and backslash in these fields as \040, \011, \012, \134. */
export function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/**
 * Filesystems that hold no user data, or whose usage says nothing about a disk (memory-backed, kernel
 * interfaces, container layers, read-only images). Their usage would only add noise to disk alerts.
 */
const PSEUDO_FSTYPES = new Set([
  "autofs",
  "binfmt_misc",
  "bpf",
  "cgroup",
  "cgroup2",
  "configfs",
  "debugfs",
  "devpts",
  "devtmpfs",
  "efivarfs",
  "fusectl",
  "fuse.gvfsd-fuse",
  "fuse.lxcfs",
  "fuse.portal",
  "hugetlbfs",
  "mqueue",
  "nsfs",
  "overlay",
  "proc",
  "pstore",
  "ramfs",
  "rootfs",
  "rpc_pipefs",
  "securityfs",
  "selinuxfs",
  "squashfs",
  "sysfs",
  "tmpfs",
  "tracefs",
]);

/**
 * Real filesystems, each once: bind mounts (and btrfs subvolumes) show the same device at several
 * mountpoints with the same usage, so the first mountpoint listed (the one mounted first) is kept.
 */
export function selectMounts(entries: readonly MountEntry[]): MountEntry[] {
  const seen = new Set<string>();
  const selected: MountEntry[] = [];
  for (const entry of entries) {
    if (PSEUDO_FSTYPES.has(entry.fstype)) continue;
    // Keyed with the fstype too: placeholder devices ("none", a virtiofs tag) are not unique names.
    const key = `${entry.fstype}\u0000${entry.device}`;
    if (seen.has(key)) continue;
    seen.add(key);
    selected.push(entry);
  }
  return selected;
}
