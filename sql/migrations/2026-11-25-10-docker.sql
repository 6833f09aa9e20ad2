-- The docker domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-20-docker-timeseries.*.sql.

-- docker_sync: one row per device, the newest docker envelope written (collected_at) and the newest
-- network listing written (networks_at; a failed /networks keeps the previous rows). A replay of an
-- older envelope finds a newer collected_at here and changes nothing in the current-state tables.
CREATE TABLE docker_sync (
  device_id    integer PRIMARY KEY,
  collected_at timestamptz NOT NULL,
  networks_at  timestamptz
);

-- Current state: the containers of a device as its newest envelope lists them (all of them, running
-- or not). ports, mounts, networks, labels and compose_depends_on are the envelope's arrays/objects.
-- Environment variables are never collected, so they cannot be here.
CREATE TABLE docker_containers (
  device_id           integer NOT NULL,
  container_id        text NOT NULL,
  collected_at        timestamptz NOT NULL,
  name                text NOT NULL,
  image               text NOT NULL,
  image_id            text,
  state               text NOT NULL,
  status              text NOT NULL,
  health              text NOT NULL CHECK (health IN ('none', 'starting', 'healthy', 'unhealthy')),
  exit_code           integer,
  restart_count       integer NOT NULL,
  created_at          timestamptz,
  started_at          timestamptz,
  finished_at         timestamptz,
  ports               jsonb NOT NULL,
  mounts              jsonb NOT NULL,
  networks            jsonb NOT NULL,
  labels              jsonb NOT NULL,
  compose_project     text,
  compose_service     text,
  compose_working_dir text,
  compose_depends_on  jsonb,
  inspect_error       jsonb,
  PRIMARY KEY (device_id, container_id)
);
CREATE INDEX docker_containers_compose_idx ON docker_containers (device_id, compose_project, compose_service);

-- Current state: the networks of a device, with the containers attached to each.
CREATE TABLE docker_networks (
  device_id    integer NOT NULL,
  network_id   text NOT NULL,
  collected_at timestamptz NOT NULL,
  name         text NOT NULL,
  driver       text NOT NULL,
  scope        text NOT NULL,
  subnets      text[] NOT NULL,
  gateways     text[] NOT NULL,
  containers   jsonb NOT NULL,
  PRIMARY KEY (device_id, network_id)
);

-- Time series: one row per running container per sample, the figures of `docker stats`. Counters
-- (net_*, block_*) are cumulative since the container started. container_name is kept because
-- Compose recreates containers under new ids with the same name.
CREATE TABLE docker_container_stats (
  time              timestamptz NOT NULL,
  device_id         integer NOT NULL,
  container_id      text NOT NULL,
  container_name    text NOT NULL,
  cpu_pct           real,
  mem_used_bytes    bigint,
  mem_limit_bytes   bigint,
  net_rx_bytes      bigint,
  net_tx_bytes      bigint,
  block_read_bytes  bigint,
  block_write_bytes bigint,
  pids              integer,
  PRIMARY KEY (device_id, container_id, time)
);
