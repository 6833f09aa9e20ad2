import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";

/** One value of a metric on one device: `subject` names what it is about (a mount, a drive, ""). */
export interface MetricValue {
  subject: string;
  value: number;
}

export interface MetricSpec<D extends Domain = Domain> {
  domain: D;
  /** What the subject is, for the docs and the error that lists the metrics. */
  per: string;
  describe: string;
  read(data: DomainData<D>): MetricValue[];
}

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : (100 * part) / whole);

/**
 * The fields a user rule may watch (`system.disk_used_pct > 90`), read from each device's newest
 * stored payload. A metric is added here with the domain's field it reads.
 */
export const METRICS = {
  "system.cpu_pct": {
    domain: "system",
    per: "host",
    describe: "CPU busy, %",
    read: (d) => (d.cpu === null ? [] : [{ subject: "", value: d.cpu.usage_pct }]),
  } satisfies MetricSpec<"system">,
  "system.mem_used_pct": {
    domain: "system",
    per: "host",
    describe: "memory in use (total - available), %",
    read: (d) => [
      { subject: "", value: pct(d.memory.total_bytes - d.memory.available_bytes, d.memory.total_bytes) },
    ],
  } satisfies MetricSpec<"system">,
  "system.load_1": {
    domain: "system",
    per: "host",
    describe: "1-minute load average",
    read: (d) => [{ subject: "", value: d.load.load_1 }],
  } satisfies MetricSpec<"system">,
  "system.disk_used_pct": {
    domain: "system",
    per: "mount",
    describe: "mount used of used + free (what df shows), %",
    read: (d) =>
      d.mounts.map((m) => ({ subject: m.mountpoint, value: pct(m.used_bytes, m.used_bytes + m.free_bytes) })),
  } satisfies MetricSpec<"system">,
  "system.inode_used_pct": {
    domain: "system",
    per: "mount",
    describe: "mount inodes used, %",
    read: (d) =>
      d.mounts.flatMap((m) =>
        m.inodes_used + m.inodes_free === 0
          ? []
          : [{ subject: m.mountpoint, value: pct(m.inodes_used, m.inodes_used + m.inodes_free) }],
      ),
  } satisfies MetricSpec<"system">,
  "system.temp_c": {
    domain: "system",
    per: "sensor",
    describe: "sensor temperature, °C",
    read: (d) => d.temperatures.map((t) => ({ subject: t.sensor, value: t.temp_c })),
  } satisfies MetricSpec<"system">,
  "smart.temperature_c": {
    domain: "smart",
    per: "drive",
    describe: "drive temperature, °C",
    read: (d) =>
      d.drives.flatMap((drive) =>
        drive.ok && "reading" in drive && drive.reading.temperature_c !== null
          ? [{ subject: drive.device, value: drive.reading.temperature_c }]
          : [],
      ),
  } satisfies MetricSpec<"smart">,
  "zfs.pool_capacity_pct": {
    domain: "zfs",
    per: "pool",
    describe: "pool allocated, %",
    read: (d) =>
      d.pools.ok
        ? d.pools.value.flatMap((p) =>
            p.capacity_pct === null ? [] : [{ subject: p.name, value: p.capacity_pct }],
          )
        : [],
  } satisfies MetricSpec<"zfs">,
  "docker.restart_count": {
    domain: "docker",
    per: "container",
    describe: "restarts since the container was created",
    read: (d) => d.containers.map((c) => ({ subject: c.name, value: c.restart_count })),
  } satisfies MetricSpec<"docker">,
  "backups.age_h": {
    domain: "backups",
    per: "probe",
    describe: "hours since the newest backup",
    read: (d) =>
      d.probes.flatMap((p) => (p.age_s === null ? [] : [{ subject: p.name, value: p.age_s / 3600 }])),
  } satisfies MetricSpec<"backups">,
  "ups.battery_charge_pct": {
    domain: "ups",
    per: "ups",
    describe: "battery charge, %",
    read: (d) =>
      d.upsc.ok
        ? d.upsc.value.flatMap((u) =>
            u.battery_charge_pct === null ? [] : [{ subject: u.name, value: u.battery_charge_pct }],
          )
        : [],
  } satisfies MetricSpec<"ups">,
  "ups.load_pct": {
    domain: "ups",
    per: "ups",
    describe: "load, % of the UPS's capacity",
    read: (d) =>
      d.upsc.ok
        ? d.upsc.value.flatMap((u) => (u.load_pct === null ? [] : [{ subject: u.name, value: u.load_pct }]))
        : [],
  } satisfies MetricSpec<"ups">,
} as const;

export type MetricName = keyof typeof METRICS;

export function isMetric(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}
