-- The vms domain's time series on TimescaleDB; the tables are in 2026-11-25-18-vms.sql.

SELECT create_hypertable('vm_metrics', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE vm_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'source, vm_id, time DESC'
);
SELECT add_compression_policy('vm_metrics', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('vm_metrics', drop_after => INTERVAL '30 days', if_not_exists => true);
