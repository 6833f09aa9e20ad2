-- The updates domain's time series on TimescaleDB; the tables are in 2026-11-25-14-updates.sql.

-- 1-day chunks like every hypertable; a listing every 6 h makes them tiny, but retention drops whole chunks.
SELECT create_hypertable('update_counts', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE update_counts SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
SELECT add_compression_policy('update_counts', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('update_counts', drop_after => INTERVAL '30 days', if_not_exists => true);
