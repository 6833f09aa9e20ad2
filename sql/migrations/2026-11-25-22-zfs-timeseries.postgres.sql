-- The zfs domain's time series on plain PostgreSQL; the tables are in 2026-11-25-12-zfs.sql.

-- What TimescaleDB gives every hypertable, for fleet-wide time ranges and the retention deletes.
CREATE INDEX zfs_pool_metrics_time_idx ON zfs_pool_metrics (time DESC);
CREATE INDEX zfs_arc_metrics_time_idx ON zfs_arc_metrics (time DESC);
