import type { ColumnType, Generated, GeneratedAlways } from "kysely";

/**
 * The database as Kysely sees it: every table and column the code touches, checked at compile time.
 * Keep in step with sql/migrations (the migrations are the truth; this mirrors them).
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** postgres.js returns int8 as string unless told otherwise; we read bigint columns as numbers. */
type Int8 = ColumnType<number, number | bigint | string, number | bigint | string>;
/** A jsonb column holding an object, with a default (optional on insert). */
type JsonObject = ColumnType<
  Record<string, unknown>,
  Record<string, unknown> | undefined,
  Record<string, unknown>
>;

/** docker (migration 10): which envelope the current-state tables follow, per device. */
export interface DockerSyncTable {
  device_id: number;
  collected_at: Timestamp;
  networks_at: Timestamp | null;
}

export interface DockerContainersTable {
  device_id: number;
  container_id: string;
  collected_at: Timestamp;
  name: string;
  image: string;
  image_id: string | null;
  state: string;
  status: string;
  health: "none" | "starting" | "healthy" | "unhealthy";
  exit_code: number | null;
  restart_count: number;
  created_at: Timestamp | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  ports: unknown;
  mounts: unknown;
  networks: unknown;
  labels: unknown;
  compose_project: string | null;
  compose_service: string | null;
  compose_working_dir: string | null;
  compose_depends_on: unknown | null;
  inspect_error: unknown | null;
  /** Generated: a port is published on the host (a topology node). */
  publishes: GeneratedAlways<boolean>;
}

export interface DockerNetworksTable {
  device_id: number;
  network_id: string;
  collected_at: Timestamp;
  name: string;
  driver: string;
  scope: string;
  subnets: ColumnType<string[], string[], string[]>;
  gateways: ColumnType<string[], string[], string[]>;
  containers: unknown;
}

export interface DockerContainerStatsTable {
  time: Timestamp;
  device_id: number;
  container_id: string;
  container_name: string;
  cpu_pct: number | null;
  mem_used_bytes: Int8 | null;
  mem_limit_bytes: Int8 | null;
  net_rx_bytes: Int8 | null;
  net_tx_bytes: Int8 | null;
  block_read_bytes: Int8 | null;
  block_write_bytes: Int8 | null;
  pids: number | null;
  /** The container's restart count at this sample; null in rows from before 2026-12-02. */
  restart_count: number | null;
}

export interface DevicesTable {
  id: Generated<number>;
  hostname: string;
  ssh_host: string | null;
  ssh_port: number | null;
  ssh_user: string | null;
  ssh_key_path: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  first_seen: Timestamp | null;
  last_seen: Timestamp | null;
  agent_version: string | null;
  os: string | null;
  kernel: string | null;
  arch: string | null;
  cpu_model: string | null;
  cpu_cores: number | null;
  memory_total_bytes: Int8 | null;
  created_at: Generated<Date>;
  /** agent.json's `domains`/`roots` for running this host's collectors live (migration 31). */
  live_config: JsonObject;
}

export interface SystemMetricsTable {
  time: Timestamp;
  device_id: number;
  cpu_pct: number | null;
  cpu_user_pct: number | null;
  cpu_nice_pct: number | null;
  cpu_system_pct: number | null;
  cpu_idle_pct: number | null;
  cpu_iowait_pct: number | null;
  cpu_irq_pct: number | null;
  cpu_softirq_pct: number | null;
  cpu_steal_pct: number | null;
  load_1: number;
  load_5: number;
  load_15: number;
  mem_total_bytes: Int8;
  mem_used_bytes: Int8;
  mem_available_bytes: Int8;
  swap_total_bytes: Int8;
  swap_used_bytes: Int8;
  uptime_s: number;
  process_count: number;
}

export interface DiskUsageTable {
  time: Timestamp;
  device_id: number;
  mountpoint: string;
  device: string;
  fstype: string;
  size_bytes: Int8;
  used_bytes: Int8;
  free_bytes: Int8;
  inodes_total: Int8;
  inodes_used: Int8;
  inodes_free: Int8;
}

export interface DiskIoTable {
  time: Timestamp;
  device_id: number;
  disk: string;
  read_bytes_per_s: number;
  write_bytes_per_s: number;
  read_ops_per_s: number;
  write_ops_per_s: number;
  busy_pct: number;
}

export interface NetworkIoTable {
  time: Timestamp;
  device_id: number;
  interface: string;
  rx_bytes_per_s: number;
  tx_bytes_per_s: number;
  rx_packets_per_s: number;
  tx_packets_per_s: number;
  rx_errors_per_s: number;
  tx_errors_per_s: number;
  rx_drops_per_s: number;
  tx_drops_per_s: number;
}

export interface TemperaturesTable {
  time: Timestamp;
  device_id: number;
  sensor: string;
  temp_c: number;
  high_c: number | null;
  critical_c: number | null;
}

/** NATS user keys issued to hosts, live or revoked (sql/migrations/2026-11-25-40-nats-credentials.sql). */
export interface NatsCredentialsTable {
  /** The nkey of the user (`U...`); the JWT and seed are handed out once and never stored. */
  user_public_key: string;
  hostname: string;
  issued_at: Date;
  revoked_at: Date | null;
}

/** The MCP server's pinned SSH host keys (sql/migrations/2026-11-25-30-ssh-host-keys.sql). */
export interface SshHostKeysTable {
  host: string;
  port: number;
  key_type: string;
  /** OpenSSH's form: `SHA256:` and the unpadded base64 of the key blob's SHA-256. */
  fingerprint_sha256: string;
  first_seen: Generated<Date>;
  last_seen: Generated<Date>;
}

export interface LatestStateTable {
  device_id: number;
  domain: string;
  collected_at: Timestamp;
  received_at: Generated<Date>;
  boot_id: string;
  seq: Int8;
  payload: unknown;
  errors: unknown;
  status: "ok" | "failed" | "unavailable";
  status_at: Timestamp;
}

export interface IngestRejectsTable {
  id: Generated<number>;
  received_at: Generated<Date>;
  subject: string;
  reason: string;
  detail: string | null;
  stream_seq: Int8 | null;
  payload_bytes: number;
  payload: Uint8Array;
}

/** Hourly and daily rollups of system_metrics: continuous aggregates on TimescaleDB, tables otherwise. */
export interface SystemMetricsRollupTable {
  bucket: Date;
  device_id: number;
  samples: Int8;
  cpu_pct_avg: number | null;
  cpu_pct_max: number | null;
  load_1_avg: number;
  load_1_max: number;
  mem_used_bytes_avg: number;
  mem_used_bytes_max: Int8;
  mem_total_bytes: Int8;
  swap_used_bytes_max: Int8;
  process_count_max: number;
}

/** What each device is: the newest inventory collection (collected_at orders the writes). */
export interface InventoryTable {
  device_id: number;
  collected_at: Timestamp;
  os_id: string | null;
  os_name: string | null;
  os_version_id: string | null;
  os_pretty_name: string | null;
  kernel: string | null;
  arch: string | null;
  cpu_model: string | null;
  cpu_logical_cores: number | null;
  cpu_physical_cores: number | null;
  cpu_sockets: number | null;
  memory_total_bytes: Int8 | null;
  virtualization: "none" | "vm" | "container" | "unknown";
  virtualization_technology: string | null;
  boot_time: Timestamp | null;
  agent_version: string;
}

/** The updates domain's current state per device (sql/migrations/2026-11-25-14-updates.*). */
export interface UpdateStatusTable {
  device_id: number;
  collected_at: Timestamp;
  manager: string;
  pending_checked_at: Timestamp | null;
  pending_count: number | null;
  security_count: number | null;
  error_code: string | null;
  error_message: string | null;
  reboot_required: "yes" | "no" | "unknown";
  reboot_packages: ColumnType<string[], string[] | undefined, string[]>;
}

export interface PackageUpdatesTable {
  device_id: number;
  name: string;
  arch: string;
  current_version: string;
  available_version: string;
  repository: string;
  kind: "security" | "regular" | "unknown";
}

export interface UpdateCountsTable {
  time: Timestamp;
  device_id: number;
  pending_count: number;
  security_count: number;
}

/** zfs domain: the newest envelope and snapshot listing written per device. */
export interface ZfsSyncTable {
  device_id: number;
  collected_at: Timestamp;
  snapshots_at: Timestamp | null;
}

/** zfs domain: one row per pool, current state. */
export interface ZfsPoolsTable {
  device_id: number;
  pool: string;
  health: string | null;
  size_bytes: Int8 | null;
  alloc_bytes: Int8 | null;
  free_bytes: Int8 | null;
  fragmentation_pct: number | null;
  capacity_pct: number | null;
  dedup_ratio: number | null;
  state: string | null;
  status_text: string | null;
  action_text: string | null;
  scan_function: "none" | "scrub" | "resilver" | "errorscrub" | "removal" | "expand" | "unknown" | null;
  scan_state: "none" | "in_progress" | "paused" | "finished" | "canceled" | "unknown" | null;
  scan_done_pct: number | null;
  scan_repaired_bytes: Int8 | null;
  scan_errors: Int8 | null;
  scan_at_local: string | null;
  read_errors: Int8 | null;
  write_errors: Int8 | null;
  cksum_errors: Int8 | null;
  errors_text: string | null;
  data_errors: Int8 | null;
  /** `zpool status -v`: damaged files listed (null from older agents or without a list). */
  error_files_total: Int8 | null;
  vdevs: unknown | null;
  updated_at: Timestamp;
}

export interface ZfsDatasetsTable {
  device_id: number;
  name: string;
  pool: string;
  type: "filesystem" | "volume" | null;
  used_bytes: Int8;
  avail_bytes: Int8;
  refer_bytes: Int8 | null;
  usedsnap_bytes: Int8 | null;
  usedds_bytes: Int8 | null;
  updated_at: Timestamp;
}

export interface ZfsSnapshotsTable {
  device_id: number;
  name: string;
  dataset: string;
  used_bytes: Int8;
  refer_bytes: Int8 | null;
  created_at: Timestamp;
  first_seen_at: Timestamp;
}

export interface ZfsPoolMetricsTable {
  time: Timestamp;
  device_id: number;
  pool: string;
  health: string;
  /** Null for a pool that is UNAVAIL or FAULTED (`zpool list` prints "-"). */
  size_bytes: Int8 | null;
  alloc_bytes: Int8 | null;
  free_bytes: Int8 | null;
  capacity_pct: number | null;
  fragmentation_pct: number | null;
  read_errors: Int8 | null;
  write_errors: Int8 | null;
  cksum_errors: Int8 | null;
  data_errors: Int8 | null;
}

export interface ZfsArcMetricsTable {
  time: Timestamp;
  device_id: number;
  size_bytes: Int8;
  target_bytes: Int8;
  min_bytes: Int8;
  max_bytes: Int8;
  hits: Int8;
  misses: Int8;
  mru_size_bytes: Int8 | null;
  mfu_size_bytes: Int8 | null;
  l2_hits: Int8 | null;
  l2_misses: Int8 | null;
  l2_size_bytes: Int8 | null;
}

/** The network domain's current state per device (sql/migrations/2026-11-25-16-network.sql). */
export interface NetworkStateTable {
  device_id: number;
  collected_at: Timestamp;
  default_gateways: ColumnType<string[], string[], string[]> | null;
  dns_servers: ColumnType<string[], string[], string[]> | null;
  dns_search: ColumnType<string[], string[], string[]> | null;
  dns_source: string | null;
  tailscale_backend_state: string | null;
  source_errors: unknown;
}

export interface NetworkInterfacesTable {
  device_id: number;
  name: string;
  mac: string | null;
  mtu: number | null;
  state: string;
  link_type: string;
  master: string | null;
}

/** `address` is inet syntax with the prefix ('192.0.2.2/24'); query subnets with address::inet. */
export interface NetworkAddressesTable {
  device_id: number;
  interface: string;
  family: "inet" | "inet6";
  address: string;
  scope: string;
}

export interface NetworkRoutesTable {
  device_id: number;
  ordinal: number;
  family: "inet" | "inet6";
  dst: string;
  gateway: string | null;
  dev: string | null;
  protocol: string | null;
  metric: Int8 | null;
  prefsrc: string | null;
}

export interface NetworkNeighboursTable {
  device_id: number;
  dev: string;
  address: string;
  mac: string | null;
  state: string;
}

export interface ListeningPortsTable {
  device_id: number;
  protocol: "tcp" | "udp";
  address: string;
  port: number;
  process: string | null;
  pid: number | null;
}

/** Tailscale peers and LLDP neighbours this device sees. */
export interface NetworkPeersTable {
  device_id: number;
  source: "tailscale" | "lldp";
  ordinal: number;
  name: string | null;
  local_interface: string | null;
  remote_port: string | null;
  addresses: ColumnType<string[], string[] | undefined, string[]>;
  os: string | null;
  status: "online" | "offline" | null;
  last_seen: Timestamp | null;
}

/** The logs domain's entries (sql/migrations/2026-11-25-15-logs.*), kept 14 days. */
export interface LogsTable {
  time: Timestamp;
  device_id: number;
  entry_id: string;
  source: "journal" | "syslog";
  priority: number | null;
  facility: number | null;
  hostname: string;
  unit: string;
  identifier: string;
  pid: number | null;
  message: string;
}

/** The vms domain per device: which source answered in the newest envelope (migration 18). */
export interface VmSourcesTable {
  device_id: number;
  collected_at: Timestamp;
  libvirt_status: "ok" | "failed" | "absent";
  libvirt_error: string | null;
  proxmox_status: "ok" | "failed" | "absent";
  proxmox_error: string | null;
}

/** libvirt domains and Proxmox guests, as the newest envelope that listed them says. */
export interface VmsTable {
  device_id: number;
  source: "libvirt" | "proxmox";
  vm_id: string;
  name: string;
  type: "vm" | "lxc";
  state: string;
  state_detail: string;
  vcpus: number | null;
  memory_bytes: Int8 | null;
  memory_max_bytes: Int8 | null;
  uptime_s: number | null;
  cpu_pct: number | null;
  node: string | null;
}

export interface VmMetricsTable {
  time: Timestamp;
  device_id: number;
  source: string;
  vm_id: string;
  cpu_pct: number | null;
  memory_bytes: Int8 | null;
}

/** backups domain: the newest envelope written per device. */
export interface BackupSyncTable {
  device_id: number;
  collected_at: Timestamp;
}

/** backups domain: one row per configured probe, current state. */
export interface BackupProbesTable {
  device_id: number;
  name: string;
  kind: "restic" | "borg" | "zfs_snapshot" | "path";
  status: "ok" | "late" | "failed";
  max_age_h: number;
  last_success_at: Timestamp | null;
  age_s: number | null;
  size_bytes: Int8 | null;
  item_count: Int8 | null;
  error_code: string | null;
  error_message: string | null;
  checked_at: Timestamp;
}

export interface BackupProbeResultsTable {
  time: Timestamp;
  device_id: number;
  name: string;
  kind: string;
  status: string;
  age_s: number | null;
  size_bytes: Int8 | null;
  item_count: Int8 | null;
  error_code: string | null;
}

export interface Database {
  devices: DevicesTable;
  backup_sync: BackupSyncTable;
  backup_probes: BackupProbesTable;
  backup_probe_results: BackupProbeResultsTable;
  docker_sync: DockerSyncTable;
  docker_containers: DockerContainersTable;
  docker_networks: DockerNetworksTable;
  docker_container_stats: DockerContainerStatsTable;
  zfs_sync: ZfsSyncTable;
  zfs_pools: ZfsPoolsTable;
  zfs_datasets: ZfsDatasetsTable;
  zfs_snapshots: ZfsSnapshotsTable;
  zfs_pool_metrics: ZfsPoolMetricsTable;
  zfs_arc_metrics: ZfsArcMetricsTable;
  system_metrics: SystemMetricsTable;
  disk_usage: DiskUsageTable;
  disk_io: DiskIoTable;
  network_io: NetworkIoTable;
  temperatures: TemperaturesTable;
  latest_state: LatestStateTable;
  ingest_rejects: IngestRejectsTable;
  system_metrics_hourly: SystemMetricsRollupTable;
  system_metrics_daily: SystemMetricsRollupTable;
  update_status: UpdateStatusTable;
  package_updates: PackageUpdatesTable;
  update_counts: UpdateCountsTable;
  logs: LogsTable;
  inventory: InventoryTable;
  smart_drives: SmartDrivesTable;
  smart_metrics: SmartMetricsTable;
  network_state: NetworkStateTable;
  network_interfaces: NetworkInterfacesTable;
  network_addresses: NetworkAddressesTable;
  network_routes: NetworkRoutesTable;
  network_neighbours: NetworkNeighboursTable;
  listening_ports: ListeningPortsTable;
  network_peers: NetworkPeersTable;
  vm_sources: VmSourcesTable;
  vms: VmsTable;
  vm_metrics: VmMetricsTable;
  ssh_host_keys: SshHostKeysTable;
  enrollment_tokens: EnrollmentTokensTable;
  nats_credentials: NatsCredentialsTable;
  enrollment_events: EnrollmentEventsTable;
}

/** The smart domain's disks now (sql/migrations/2026-11-25-11-smart.*); the last reading is kept while a disk sleeps. */
export interface SmartDrivesTable {
  device_id: number;
  device: string;
  device_type: string;
  collected_at: Timestamp;
  status: "active" | "standby" | "failed";
  error_code: string | null;
  error_message: string | null;
  exit_status: number | null;
  exit_flags: ColumnType<string[], string[] | undefined, string[]>;
  read_at: Timestamp | null;
  drive_id: string | null;
  protocol: "ata" | "nvme" | "scsi" | null;
  model: string | null;
  serial: string | null;
  firmware: string | null;
  capacity_bytes: Int8 | null;
  rotation_rpm: number | null;
  health: "passed" | "failed" | "unknown" | null;
  temperature_c: number | null;
  power_on_hours: Int8 | null;
  verdict: "ok" | "warning" | "failing" | null;
  reasons: ColumnType<string[], string[] | undefined, string[]>;
  reading: unknown | null;
}

/** The numbers of each disk reading that trend (kept 365 days). */
export interface SmartMetricsTable {
  time: Timestamp;
  device_id: number;
  drive_id: string;
  device: string;
  temperature_c: number | null;
  power_on_hours: Int8 | null;
  power_cycles: Int8 | null;
  reallocated_sectors: Int8 | null;
  pending_sectors: Int8 | null;
  offline_uncorrectable: Int8 | null;
  crc_errors: Int8 | null;
  grown_defects: Int8 | null;
  percentage_used: number | null;
  available_spare_pct: number | null;
  media_errors: Int8 | null;
}

/** Enrollment tokens (sql/migrations/2026-11-25-41-enrollment-tokens.sql): only the token's hash is kept. */
export interface EnrollmentTokensTable {
  id: Generated<number>;
  token_sha256: string;
  note: string;
  host: string | null;
  max_uses: number;
  uses: Generated<number>;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  last_used_host: string | null;
}

/** One enrollment attempt (sql/migrations/2026-12-02-30-enrollment-events.sql). */
export interface EnrollmentEventsTable {
  id: Generated<number>;
  at: Generated<Date>;
  hostname: string;
  outcome: "enrolled" | "replaced" | "refused";
  code: string | null;
  token_id: number | null;
  client: string;
  replace_asked: boolean;
}
