-- The updates domain on TimescaleDB. The twin 2026-11-25-14-updates.postgres.sql builds the same tables.

-- What each device could upgrade now (current state, replaced by each newer envelope of the updates domain).
-- update_status: one row per device. collected_at is the newest envelope's time; pending_checked_at the
-- last listing that worked, whose counts and package rows are kept while a later listing fails
-- (error_code/error_message say why; null when the newest listing worked).
CREATE TABLE update_status (
  device_id          integer PRIMARY KEY,
  collected_at       timestamptz NOT NULL,
  manager            text NOT NULL,
  pending_checked_at timestamptz,
  pending_count      integer,
  security_count     integer,
  error_code         text,
  error_message      text,
  reboot_required    text NOT NULL CHECK (reboot_required IN ('yes', 'no', 'unknown')),
  reboot_packages    text[] NOT NULL DEFAULT '{}'
);

-- One row per pending package (arch '' where the tool does not say). kind: security | regular | unknown.
CREATE TABLE package_updates (
  device_id         integer NOT NULL,
  name              text NOT NULL,
  arch              text NOT NULL,
  current_version   text NOT NULL,
  available_version text NOT NULL,
  repository        text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('security', 'regular', 'unknown')),
  PRIMARY KEY (device_id, name, arch)
);
-- "Which hosts have security updates pending" reads across devices.
CREATE INDEX package_updates_kind_idx ON package_updates (kind) WHERE kind = 'security';

-- Counts over time, for graphs: one row per successful listing.
CREATE TABLE update_counts (
  time           timestamptz NOT NULL,
  device_id      integer NOT NULL,
  pending_count  integer NOT NULL,
  security_count integer NOT NULL,
  PRIMARY KEY (device_id, time)
);

-- 1-day chunks like every hypertable; a listing every 6 h makes them tiny, but retention drops whole chunks.
SELECT create_hypertable('update_counts', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE update_counts SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
SELECT add_compression_policy('update_counts', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('update_counts', drop_after => INTERVAL '30 days', if_not_exists => true);
