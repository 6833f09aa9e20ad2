import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Test support: a temp dir holding proc/, sys/ and host/ built from the captured files: the /proc files
 * from testcases/ (`<case>/<file>`), the hwmon trees from testdata/ (directories, no parse source).
 */
export interface FakeRoot {
  dir: string;
  procRoot: string;
  sysRoot: string;
  hostRoot: string;
}

const testcase = (path: string): string => join(import.meta.dir, "..", "testcases", path);
const testdata = (name: string): string => join(import.meta.dir, "..", "testdata", name);

export async function buildFakeRoot(): Promise<FakeRoot> {
  const dir = await mkdtemp(join(tmpdir(), "system-collector-"));
  const procRoot = join(dir, "proc");
  const sysRoot = join(dir, "sys");
  const hostRoot = join(dir, "host");
  const copies: [string, string][] = [
    ["node-exporter-proc/proc-stat.txt", "stat"],
    ["node-exporter-proc/proc-meminfo.txt", "meminfo"],
    ["node-exporter-proc/proc-loadavg.txt", "loadavg"],
    ["handwritten-proc-uptime/proc-uptime.txt", "uptime"],
    ["node-exporter-proc/proc-diskstats.txt", "diskstats"],
    ["jc-proc-net-dev/proc-net-dev.txt", "net/dev"],
    ["handwritten-proc-mounts-escapes/mounts.txt", "self/mounts"],
  ];
  for (const dirName of ["net", "self", "1", "42", "4242"])
    await mkdir(join(procRoot, dirName), { recursive: true });
  for (const [from, to] of copies) await cp(testcase(from), join(procRoot, to));
  const hwmon = join(sysRoot, "class", "hwmon");
  await cp(testdata("node_exporter__sys_class_hwmon"), hwmon, { recursive: true });
  // Derived: a second copy of the captured coretemp chip, as on a two-socket machine.
  await cp(join(hwmon, "hwmon0"), join(hwmon, "hwmon7"), { recursive: true });
  // Mountpoints of handwritten-proc-mounts-escapes/mounts.txt that statfs can reach; /mnt/nfs is left absent.
  for (const mountpoint of ["mnt/My Disk", "mnt/tab\tand\\back"]) {
    await mkdir(join(hostRoot, mountpoint), { recursive: true });
  }
  return { dir, procRoot, sysRoot, hostRoot };
}

/** Rewrites the whitespace-separated fields of the lines that `match` selects, keeping the others. */
export async function editLines(
  path: string,
  match: (fields: string[]) => boolean,
  edit: (fields: string[]) => string[],
): Promise<void> {
  const lines = (await readFile(path, "utf8")).split("\n").map((line) => {
    const fields = line.trim().split(/\s+/);
    return match(fields) ? edit(fields).join(" ") : line;
  });
  await writeFile(path, lines.join("\n"));
}

/** Adds `increments` (field index -> amount) to the numeric fields of one line. */
export function bump(increments: Record<number, number>): (fields: string[]) => string[] {
  return (fields) =>
    fields.map((field, i) => (i in increments ? String(Number(field) + (increments[i] ?? 0)) : field));
}
