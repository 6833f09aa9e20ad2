-- The docker domain's time series on plain PostgreSQL; the tables are in 2026-11-25-10-docker.sql.

-- TimescaleDB gives every hypertable this index; the plain table gets the same, for fleet-wide time
-- ranges and the retention deletes.
CREATE INDEX docker_container_stats_time_idx ON docker_container_stats (time DESC);
