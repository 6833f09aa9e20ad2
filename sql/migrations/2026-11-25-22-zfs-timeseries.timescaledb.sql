-- The zfs domain's time series on TimescaleDB; the tables are in 2026-11-25-12-zfs.sql.

-- 1-day chunks like every hypertable: a poll every 5 min is ~300 rows a day per pool.
SELECT create_hypertable('zfs_pool_metrics', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('zfs_arc_metrics', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE zfs_pool_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'pool, time DESC'
);
ALTER TABLE zfs_arc_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
SELECT add_compression_policy('zfs_pool_metrics', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('zfs_arc_metrics', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('zfs_pool_metrics', drop_after => INTERVAL '30 days', if_not_exists => true);
SELECT add_retention_policy('zfs_arc_metrics', drop_after => INTERVAL '30 days', if_not_exists => true);
