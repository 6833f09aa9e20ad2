-- The zfs domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-22-zfs-timeseries.*.sql.

-- Current state (replaced by each newer envelope of the zfs domain) and time series of the zfs domain.

-- zfs_sync: one row per device, the newest envelope written (collected_at) and the newest snapshot
-- listing written (snapshots_at). A replay of an older envelope finds a newer collected_at here and
-- changes nothing in the current-state tables.
CREATE TABLE zfs_sync (
  device_id    integer PRIMARY KEY,
  collected_at timestamptz NOT NULL,
  snapshots_at timestamptz
);

-- One row per pool: capacity from `zpool list`, health, scan and vdev tree from `zpool status` (null
-- where that command failed). Error counters are summed over the vdev tree. scan_at_local is when the
-- scan started (in progress) or ended, in the host's local time as zpool prints it (no zone known).
CREATE TABLE zfs_pools (
  device_id           integer NOT NULL,
  pool                text NOT NULL,
  health              text,
  size_bytes          bigint,
  alloc_bytes         bigint,
  free_bytes          bigint,
  fragmentation_pct   real,
  capacity_pct        real,
  dedup_ratio         real,
  state               text,
  status_text         text,
  action_text         text,
  scan_function       text CHECK (scan_function IN ('none', 'scrub', 'resilver')),
  scan_state          text CHECK (scan_state IN ('none', 'in_progress', 'paused', 'finished', 'canceled')),
  scan_done_pct       real,
  scan_repaired_bytes bigint,
  scan_errors         bigint,
  scan_at_local       text,
  read_errors         bigint,
  write_errors        bigint,
  cksum_errors        bigint,
  errors_text         text,
  data_errors         bigint,
  vdevs               jsonb,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (device_id, pool)
);

CREATE TABLE zfs_datasets (
  device_id      integer NOT NULL,
  name           text NOT NULL,
  pool           text NOT NULL,
  type           text CHECK (type IN ('filesystem', 'volume')),
  used_bytes     bigint NOT NULL,
  avail_bytes    bigint NOT NULL,
  refer_bytes    bigint,
  usedsnap_bytes bigint,
  usedds_bytes   bigint,
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (device_id, name)
);

-- Snapshots as a set: a listing inserts the new ones, deletes the gone ones and updates used/refer
-- where they changed; first_seen_at is the envelope that first listed it.
CREATE TABLE zfs_snapshots (
  device_id     integer NOT NULL,
  name          text NOT NULL,
  dataset       text NOT NULL,
  used_bytes    bigint NOT NULL,
  refer_bytes   bigint,
  created_at    timestamptz NOT NULL,
  first_seen_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, name)
);
-- "Newest snapshot of a dataset" (the backups domain's snapshot age, dashboards).
CREATE INDEX zfs_snapshots_dataset_idx ON zfs_snapshots (device_id, dataset, created_at DESC);

-- Per pool over time: one row per pool per successful `zpool list`.
CREATE TABLE zfs_pool_metrics (
  time              timestamptz NOT NULL,
  device_id         integer NOT NULL,
  pool              text NOT NULL,
  health            text NOT NULL,
  size_bytes        bigint NOT NULL,
  alloc_bytes       bigint NOT NULL,
  free_bytes        bigint NOT NULL,
  capacity_pct      real NOT NULL,
  fragmentation_pct real,
  read_errors       bigint,
  write_errors      bigint,
  cksum_errors      bigint,
  data_errors       bigint,
  PRIMARY KEY (device_id, pool, time)
);

-- ARC gauges and cumulative counters (hit rates come from differences between rows).
CREATE TABLE zfs_arc_metrics (
  time           timestamptz NOT NULL,
  device_id      integer NOT NULL,
  size_bytes     bigint NOT NULL,
  target_bytes   bigint NOT NULL,
  min_bytes      bigint NOT NULL,
  max_bytes      bigint NOT NULL,
  hits           bigint NOT NULL,
  misses         bigint NOT NULL,
  mru_size_bytes bigint,
  mfu_size_bytes bigint,
  l2_hits        bigint,
  l2_misses      bigint,
  l2_size_bytes  bigint,
  PRIMARY KEY (device_id, time)
);
