-- What each device is (the inventory domain), as its newest collection says. collected_at orders the
-- writes: an envelope older than the row changes nothing, neither here nor in devices (whose os,
-- kernel, arch, cpu_model, cpu_cores and memory_total_bytes the same write keeps in step).
CREATE TABLE inventory (
  device_id                 integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  collected_at              timestamptz NOT NULL,
  os_id                     text,
  os_name                   text,
  os_version_id             text,
  os_pretty_name            text,
  kernel                    text,
  arch                      text,
  cpu_model                 text,
  cpu_logical_cores         integer,
  cpu_physical_cores        integer,
  cpu_sockets               integer,
  memory_total_bytes        bigint,
  virtualization            text NOT NULL CHECK (virtualization IN ('none', 'vm', 'container', 'unknown')),
  virtualization_technology text,
  boot_time                 timestamptz,
  agent_version             text NOT NULL
);
