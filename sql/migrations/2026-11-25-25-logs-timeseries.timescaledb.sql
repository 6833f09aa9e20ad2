-- The logs domain's time series on TimescaleDB; the tables are in 2026-11-25-15-logs.sql.

SELECT create_hypertable('logs', by_range('time', INTERVAL '1 day'), if_not_exists => true);
-- Compressed chunks keep only the segmentby index: text search over the older week scans them, which
-- the 14-day retention keeps small; the newest week (most queries) stays uncompressed and indexed.
ALTER TABLE logs SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
SELECT add_compression_policy('logs', compress_after => INTERVAL '7 days', if_not_exists => true);
-- 14 days, as retentionMs of the logs table in collector/src/ingest/domains/logs.ts.
SELECT add_retention_policy('logs', drop_after => INTERVAL '14 days', if_not_exists => true);
