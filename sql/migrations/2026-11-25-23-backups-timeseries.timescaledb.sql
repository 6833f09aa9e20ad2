-- The backups domain's time series on TimescaleDB; the tables are in 2026-11-25-13-backups.sql.

-- 1-day chunks like every hypertable (a poll every 15 min: ~100 rows a day per probe).
SELECT create_hypertable('backup_probe_results', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE backup_probe_results SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'name, time DESC'
);
SELECT add_compression_policy('backup_probe_results', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('backup_probe_results', drop_after => INTERVAL '30 days', if_not_exists => true);
