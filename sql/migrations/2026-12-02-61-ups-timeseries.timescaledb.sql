-- The ups domain's time series on TimescaleDB; the tables are in 2026-12-02-60-ups.sql.

SELECT create_hypertable('ups_metrics', by_range('time', INTERVAL '1 day'), if_not_exists => true);
ALTER TABLE ups_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'ups, time DESC'
);
SELECT add_compression_policy('ups_metrics', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_retention_policy('ups_metrics', drop_after => INTERVAL '30 days', if_not_exists => true);
