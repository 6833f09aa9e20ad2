-- The smart domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-21-smart-timeseries.*.sql.

-- What each disk of a device is and how it is doing now: one row per (device path, -d type) of the newest
-- envelope. A disk that sleeps (standby) or cannot be read keeps its last reading (read_at says when),
-- with status and error saying what happened since. verdict/reasons include the collector's trend reasons.
CREATE TABLE smart_drives (
  device_id      integer NOT NULL,
  device         text NOT NULL,
  device_type    text NOT NULL,
  collected_at   timestamptz NOT NULL,
  status         text NOT NULL CHECK (status IN ('active', 'standby', 'failed')),
  error_code     text,
  error_message  text,
  exit_status    integer,
  exit_flags     text[] NOT NULL DEFAULT '{}',
  read_at        timestamptz,
  drive_id       text,
  protocol       text CHECK (protocol IN ('ata', 'nvme', 'scsi')),
  model          text,
  serial         text,
  firmware       text,
  capacity_bytes bigint,
  rotation_rpm   integer,
  health         text CHECK (health IN ('passed', 'failed', 'unknown')),
  temperature_c  real,
  power_on_hours bigint,
  verdict        text CHECK (verdict IN ('ok', 'warning', 'failing')),
  reasons        text[] NOT NULL DEFAULT '{}',
  reading        jsonb,
  PRIMARY KEY (device_id, device, device_type)
);
-- "Which disks are failing" reads across devices.
CREATE INDEX smart_drives_verdict_idx ON smart_drives (verdict) WHERE verdict <> 'ok';

-- The numbers that trend, one row per disk reading, keyed by the disk (model:serial) so a disk keeps its
-- history when it moves to another port. Kept 365 days (a disk's decline is read over months).
CREATE TABLE smart_metrics (
  time                  timestamptz NOT NULL,
  device_id             integer NOT NULL,
  drive_id              text NOT NULL,
  device                text NOT NULL,
  temperature_c         real,
  power_on_hours        bigint,
  power_cycles          bigint,
  reallocated_sectors   bigint,
  pending_sectors       bigint,
  offline_uncorrectable bigint,
  crc_errors            bigint,
  grown_defects         bigint,
  percentage_used       integer,
  available_spare_pct   integer,
  media_errors          bigint,
  PRIMARY KEY (device_id, drive_id, time)
);
