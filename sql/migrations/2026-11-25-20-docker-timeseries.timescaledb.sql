-- The docker domain's time series on TimescaleDB; the tables are in 2026-11-25-10-docker.sql.

-- 1-day chunks like every raw table; compressed after 7 days, segmented by device, each container's
-- run contiguous; raw retention 30 days (the default of the plain flavor's enforce-retention).
SELECT create_hypertable('docker_container_stats', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE docker_container_stats SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'container_id, time DESC'
);
SELECT add_compression_policy('docker_container_stats', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('docker_container_stats', drop_after => INTERVAL '30 days', if_not_exists => true);
