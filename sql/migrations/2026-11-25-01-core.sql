-- Core tables, identical on plain PostgreSQL and TimescaleDB.
-- Time-series tables carry no foreign key to devices: a per-row FK check would cost ingest throughput,
-- and removing a device must not rewrite months of history. The collector creates the device row
-- before it writes any of the device's samples.

CREATE TABLE devices (
  id                 integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hostname           text NOT NULL UNIQUE,
  ssh_host           text,
  ssh_port           integer CHECK (ssh_port BETWEEN 1 AND 65535),
  ssh_user           text,
  ssh_key_path       text,
  tags               text[] NOT NULL DEFAULT '{}',
  first_seen         timestamptz,
  last_seen          timestamptz,
  agent_version      text,
  os                 text,
  kernel             text,
  arch               text,
  cpu_model          text,
  cpu_cores          integer,
  memory_total_bytes bigint,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE system_metrics (
  time                timestamptz NOT NULL,
  device_id           integer NOT NULL,
  cpu_pct             real,
  cpu_user_pct        real,
  cpu_nice_pct        real,
  cpu_system_pct      real,
  cpu_idle_pct        real,
  cpu_iowait_pct      real,
  cpu_irq_pct         real,
  cpu_softirq_pct     real,
  cpu_steal_pct       real,
  load_1              real NOT NULL,
  load_5              real NOT NULL,
  load_15             real NOT NULL,
  mem_total_bytes     bigint NOT NULL,
  mem_used_bytes      bigint NOT NULL,
  mem_available_bytes bigint NOT NULL,
  swap_total_bytes    bigint NOT NULL,
  swap_used_bytes     bigint NOT NULL,
  uptime_s            double precision NOT NULL,
  process_count       integer NOT NULL,
  PRIMARY KEY (device_id, time)
);

CREATE TABLE disk_usage (
  time         timestamptz NOT NULL,
  device_id    integer NOT NULL,
  mountpoint   text NOT NULL,
  device       text NOT NULL,
  fstype       text NOT NULL,
  size_bytes   bigint NOT NULL,
  used_bytes   bigint NOT NULL,
  free_bytes   bigint NOT NULL,
  inodes_total bigint NOT NULL,
  inodes_used  bigint NOT NULL,
  inodes_free  bigint NOT NULL,
  PRIMARY KEY (device_id, mountpoint, time)
);

CREATE TABLE disk_io (
  time              timestamptz NOT NULL,
  device_id         integer NOT NULL,
  disk              text NOT NULL,
  read_bytes_per_s  double precision NOT NULL,
  write_bytes_per_s double precision NOT NULL,
  read_ops_per_s    double precision NOT NULL,
  write_ops_per_s   double precision NOT NULL,
  busy_pct          real NOT NULL,
  PRIMARY KEY (device_id, disk, time)
);

CREATE TABLE network_io (
  time             timestamptz NOT NULL,
  device_id        integer NOT NULL,
  interface        text NOT NULL,
  rx_bytes_per_s   double precision NOT NULL,
  tx_bytes_per_s   double precision NOT NULL,
  rx_packets_per_s double precision NOT NULL,
  tx_packets_per_s double precision NOT NULL,
  rx_errors_per_s  double precision NOT NULL,
  tx_errors_per_s  double precision NOT NULL,
  rx_drops_per_s   double precision NOT NULL,
  tx_drops_per_s   double precision NOT NULL,
  PRIMARY KEY (device_id, interface, time)
);

CREATE TABLE temperatures (
  time       timestamptz NOT NULL,
  device_id  integer NOT NULL,
  sensor     text NOT NULL,
  temp_c     real NOT NULL,
  high_c     real,
  critical_c real,
  PRIMARY KEY (device_id, sensor, time)
);

-- The MCP server's fast path: the newest payload of every device and domain.
-- status says what the newest envelope said about the domain: ok (payload is from collected_at),
-- failed (the collection failed as a whole; payload is still the last good one, errors say why) or
-- unavailable (the domain cannot be collected on this host; errors say why). status_at is when.
CREATE TABLE latest_state (
  device_id    integer NOT NULL,
  domain       text NOT NULL,
  collected_at timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  boot_id      text NOT NULL,
  seq          bigint NOT NULL,
  payload      jsonb NOT NULL,
  errors       jsonb NOT NULL DEFAULT '[]',
  status       text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'failed', 'unavailable')),
  status_at    timestamptz NOT NULL,
  PRIMARY KEY (device_id, domain)
);

-- Everything the collector could not accept, with why. stream_seq makes a redelivered reject a no-op.
CREATE TABLE ingest_rejects (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at   timestamptz NOT NULL DEFAULT now(),
  subject       text NOT NULL,
  reason        text NOT NULL,
  detail        text,
  stream_seq    bigint UNIQUE,
  payload_bytes integer NOT NULL,
  payload       bytea NOT NULL
);
CREATE INDEX ingest_rejects_received_at_idx ON ingest_rejects (received_at);
