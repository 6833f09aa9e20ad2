import { parseFailed, tokenLines } from "./parse-fields.ts";

const SOURCE = "/proc/mounts";

export interface MountEntry {
  device: string;
  mountpoint: string;
  fstype: string;
  options: string;
}

/** Parses /proc/self/mounts (fstab format: device mountpoint fstype options dump pass). */
export function parseMounts(text: string): MountEntry[] {
  return tokenLines(text).map((tokens) => {
    const [device, mountpoint, fstype, options, dump, pass] = tokens;
    if (tokens.length !== 6 || !/^\d+$/.test(dump ?? "") || !/^\d+$/.test(pass ?? "")) {
      throw parseFailed(SOURCE, "line is not `device mountpoint fstype options dump pass`", tokens.join(" "));
    }
    return {
      device: unescapeOctal(device ?? ""),
      mountpoint: unescapeOctal(mountpoint ?? ""),
      fstype: fstype ?? "",
      options: unescapeOctal(options ?? ""),
    };
  });
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
