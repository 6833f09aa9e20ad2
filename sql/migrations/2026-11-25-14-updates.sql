-- The updates domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-24-updates-timeseries.*.sql.

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
