-- The backups domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-23-backups-timeseries.*.sql.

-- Current state (replaced by each newer envelope of the backups domain) and each poll's results over time.

-- backup_sync: the newest envelope written per device; a replay of an older one changes nothing.
CREATE TABLE backup_sync (
  device_id    integer PRIMARY KEY,
  collected_at timestamptz NOT NULL
);

-- One row per configured probe: a probe removed from the agent's config goes with the next envelope.
-- last_success_at: when the newest backup completed; age_s measured at checked_at (the collection).
CREATE TABLE backup_probes (
  device_id       integer NOT NULL,
  name            text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('restic', 'borg', 'zfs_snapshot', 'path')),
  status          text NOT NULL CHECK (status IN ('ok', 'late', 'failed')),
  max_age_h       real NOT NULL,
  last_success_at timestamptz,
  age_s           double precision,
  size_bytes      bigint,
  item_count      bigint,
  error_code      text,
  error_message   text,
  checked_at      timestamptz NOT NULL,
  PRIMARY KEY (device_id, name)
);
-- "Which backups are late or failing" reads across devices.
CREATE INDEX backup_probes_status_idx ON backup_probes (status) WHERE status <> 'ok';

CREATE TABLE backup_probe_results (
  time       timestamptz NOT NULL,
  device_id  integer NOT NULL,
  name       text NOT NULL,
  kind       text NOT NULL,
  status     text NOT NULL,
  age_s      double precision,
  size_bytes bigint,
  item_count bigint,
  error_code text,
  PRIMARY KEY (device_id, name, time)
);
