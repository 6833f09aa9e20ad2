-- The vms domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-26-vms-timeseries.*.sql.

-- The vms domain (libvirt and Proxmox VE guests). Current state: vm_sources says, per device, which
-- source answered in the newest envelope (its collected_at orders the writes); vms holds the guests of
-- every source that answered; a source that failed keeps its previous rows.
CREATE TABLE vm_sources (
  device_id       integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  collected_at    timestamptz NOT NULL,
  libvirt_status  text NOT NULL CHECK (libvirt_status IN ('ok', 'failed', 'absent')),
  libvirt_error   text,
  proxmox_status  text NOT NULL CHECK (proxmox_status IN ('ok', 'failed', 'absent')),
  proxmox_error   text
);

CREATE TABLE vms (
  device_id        integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  source           text NOT NULL CHECK (source IN ('libvirt', 'proxmox')),
  vm_id            text NOT NULL,
  name             text NOT NULL,
  type             text NOT NULL CHECK (type IN ('vm', 'lxc')),
  state            text NOT NULL,
  state_detail     text NOT NULL,
  vcpus            integer,
  memory_bytes     bigint,
  memory_max_bytes bigint,
  uptime_s         double precision,
  cpu_pct          real,
  node             text,
  PRIMARY KEY (device_id, source, vm_id)
);

-- Usage over time of running guests: one row per guest and sample (every 60 s by default).
CREATE TABLE vm_metrics (
  time         timestamptz NOT NULL,
  device_id    integer NOT NULL,
  source       text NOT NULL,
  vm_id        text NOT NULL,
  cpu_pct      real,
  memory_bytes bigint,
  PRIMARY KEY (device_id, source, vm_id, time)
);
