-- The smart domain's time series on TimescaleDB; the tables are in 2026-11-25-11-smart.sql.

-- 1-day chunks like every hypertable: retention drops whole chunks.
SELECT create_hypertable('smart_metrics', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE smart_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'drive_id, time DESC'
);
SELECT add_compression_policy('smart_metrics', compress_after => INTERVAL '7 days', if_not_exists => true);
-- Same as SMART_TABLES.smart_metrics.retentionMs in collector/src/ingest/domains/smart.ts.
SELECT add_retention_policy('smart_metrics', drop_after => INTERVAL '365 days', if_not_exists => true);
