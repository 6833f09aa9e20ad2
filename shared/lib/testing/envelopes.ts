import type { SystemData } from "@infrastructor/domains/system/schema.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

/**
 * A realistic system sample for ingest tests and the benchmark: shaped like what the agent sends from
 * a small server (3 mounts, 2 disks, 2 interfaces, 3 sensors). Values vary with `i` so rows differ.
 */
export function systemData(i = 0): SystemData {
  return {
    interval_s: 15,
    uptime_s: 86_400 + i * 15,
    process_count: 180 + (i % 7),
    procs_running: 2,
    procs_blocked: 0,
    cpu: {
      cores: 4,
      usage_pct: 12.5 + (i % 10),
      user_pct: 8 + (i % 5),
      nice_pct: 0,
      system_pct: 3,
      idle_pct: 87.5 - (i % 10),
      iowait_pct: 1,
      irq_pct: 0,
      softirq_pct: 0.5,
      steal_pct: 0,
    },
    load: { load_1: 0.5 + (i % 3), load_5: 0.4, load_15: 0.3 },
    memory: {
      total_bytes: 16_000_000_000,
      used_bytes: 6_000_000_000 + i * 1000,
      available_bytes: 10_000_000_000 - i * 1000,
      free_bytes: 2_000_000_000,
      buffers_bytes: 100_000_000,
      cached_bytes: 7_000_000_000,
      swap_total_bytes: 2_000_000_000,
      swap_used_bytes: 0,
    },
    mounts: ["/", "/boot", "/srv"].map((mountpoint, k) => ({
      mountpoint,
      device: `/dev/sda${k + 1}`,
      fstype: "ext4",
      size_bytes: 500_000_000_000,
      used_bytes: 200_000_000_000 + i,
      free_bytes: 275_000_000_000 - i,
      inodes_total: 30_000_000,
      inodes_used: 500_000,
      inodes_free: 29_500_000,
    })),
    disks: ["sda", "nvme0n1"].map((disk) => ({
      disk,
      read_bytes_per_s: 1024 * (i % 100),
      write_bytes_per_s: 4096 * (i % 50),
      read_ops_per_s: 2,
      write_ops_per_s: 5,
      busy_pct: 1.5,
    })),
    interfaces: ["eth0", "wg0"].map((name) => ({
      interface: name,
      rx_bytes_per_s: 10_000 + i,
      tx_bytes_per_s: 5_000 + i,
      rx_packets_per_s: 20,
      tx_packets_per_s: 15,
      rx_errors_per_s: 0,
      tx_errors_per_s: 0,
      rx_drops_per_s: 0,
      tx_drops_per_s: 0,
    })),
    temperatures: ["coretemp/Package id 0", "coretemp/Core 0", "nvme/Composite"].map((sensor) => ({
      sensor,
      temp_c: 45 + (i % 10),
      high_c: 80,
      critical_c: 100,
    })),
  };
}

export const SYSTEM_ROWS_PER_ENVELOPE = 1 + 3 + 2 + 2 + 3;

export function systemEnvelope(
  host: string,
  seq: number,
  collectedAtMs: number,
  bootId = "test-boot",
): Envelope {
  return domainEnvelope(host, "system", systemData(seq), {
    seq,
    boot_id: bootId,
    collected_at: new Date(collectedAtMs).toISOString(),
  });
}

export type EnvelopeOverrides = Partial<Omit<Envelope, "v" | "host" | "domain" | "data">>;

/**
 * An envelope as an agent sends it: seq 0 of boot `test-boot`, collected now, no errors, unless
 * `overrides` says otherwise (an `unavailable: undefined` is left out on the wire, as the agent does).
 */
export function domainEnvelope(
  host: string,
  domain: string,
  data: unknown,
  overrides: EnvelopeOverrides = {},
): Envelope {
  return {
    v: 1,
    host,
    domain,
    seq: 0,
    boot_id: "test-boot",
    agent_version: "0.1.0-test",
    collected_at: new Date().toISOString(),
    data,
    errors: [],
    ...overrides,
  };
}
