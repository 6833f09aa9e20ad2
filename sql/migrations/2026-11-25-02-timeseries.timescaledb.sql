-- Time-series storage on TimescaleDB (2.13+ for by_range). The twin 2026-11-25-02-timeseries.postgres.sql
-- builds the same relation names and columns from plain tables, so every query runs on both flavors.
-- The runner wraps this file in one transaction; everything here may run in one. Continuous aggregates
-- are created WITH NO DATA because WITH DATA refuses to run inside a transaction block; the tables are
-- empty at this point and the refresh policies materialize from then on.

-- 1-day chunks: a small fleet writes a few MB a day per table, and retention drops whole chunks.
SELECT create_hypertable('system_metrics', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('disk_usage', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('disk_io', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('network_io', by_range('time', INTERVAL '1 day'), if_not_exists => true);
SELECT create_hypertable('temperatures', by_range('time', INTERVAL '1 day'), if_not_exists => true);

-- Compression has to be enabled on a hypertable before a compression policy may be added to it.
-- Segmenting by device keeps "one device over a time range" (every dashboard) a narrow read; ordering by
-- the rest of the primary key keeps each per-series run contiguous.
ALTER TABLE system_metrics SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'time DESC'
);
ALTER TABLE disk_usage SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'mountpoint, time DESC'
);
ALTER TABLE disk_io SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'disk, time DESC'
);
ALTER TABLE network_io SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'interface, time DESC'
);
ALTER TABLE temperatures SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'sensor, time DESC'
);

-- Compress after 7 days: late samples from an agent's spool mostly land within a week, and the
-- rollups' refresh window (below) reaches back the same 7 days.
SELECT add_compression_policy('system_metrics', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('disk_usage', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('disk_io', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('network_io', compress_after => INTERVAL '7 days', if_not_exists => true);
SELECT add_compression_policy('temperatures', compress_after => INTERVAL '7 days', if_not_exists => true);

-- Raw retention 30 days. It must stay longer than the rollups' refresh window (7 days): a refresh over
-- dropped raw chunks would empty the buckets it recomputes.
SELECT add_retention_policy('system_metrics', drop_after => INTERVAL '30 days', if_not_exists => true);
SELECT add_retention_policy('disk_usage', drop_after => INTERVAL '30 days', if_not_exists => true);
SELECT add_retention_policy('disk_io', drop_after => INTERVAL '30 days', if_not_exists => true);
SELECT add_retention_policy('network_io', drop_after => INTERVAL '30 days', if_not_exists => true);
SELECT add_retention_policy('temperatures', drop_after => INTERVAL '30 days', if_not_exists => true);

-- Rollups. Column names, order and types match the plain tables of the postgres twin and
-- SystemMetricsRollupTable; collector/src/maintenance/refresh-rollups.ts computes the same expressions.
-- avg(bigint) would be numeric (a string in postgres.js), so memory is averaged as double precision.
-- materialized_only = false: queries add the not-yet-materialized recent rows (real-time aggregation),
-- so the newest hour and day show up exactly as on plain PostgreSQL.
CREATE MATERIALIZED VIEW system_metrics_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
  time_bucket(INTERVAL '1 hour', time) AS bucket,
  device_id,
  count(*) AS samples,
  avg(cpu_pct) AS cpu_pct_avg,
  max(cpu_pct) AS cpu_pct_max,
  avg(load_1) AS load_1_avg,
  max(load_1) AS load_1_max,
  avg(mem_used_bytes::double precision) AS mem_used_bytes_avg,
  max(mem_used_bytes) AS mem_used_bytes_max,
  max(mem_total_bytes) AS mem_total_bytes,
  max(swap_used_bytes) AS swap_used_bytes_max,
  max(process_count) AS process_count_max
FROM system_metrics
GROUP BY bucket, device_id
WITH NO DATA;

CREATE MATERIALIZED VIEW system_metrics_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
SELECT
  time_bucket(INTERVAL '1 day', time) AS bucket,
  device_id,
  count(*) AS samples,
  avg(cpu_pct) AS cpu_pct_avg,
  max(cpu_pct) AS cpu_pct_max,
  avg(load_1) AS load_1_avg,
  max(load_1) AS load_1_max,
  avg(mem_used_bytes::double precision) AS mem_used_bytes_avg,
  max(mem_used_bytes) AS mem_used_bytes_max,
  max(mem_total_bytes) AS mem_total_bytes,
  max(swap_used_bytes) AS swap_used_bytes_max,
  max(process_count) AS process_count_max
FROM system_metrics
GROUP BY bucket, device_id
WITH NO DATA;

-- A policy's window must span at least two buckets (TimescaleDB refuses it otherwise). Both windows
-- reach back 7 days so late data is folded in; end_offset leaves the open bucket to real-time
-- aggregation. Raw retention (30 days) stays outside both windows.
SELECT add_continuous_aggregate_policy('system_metrics_hourly',
  start_offset => INTERVAL '7 days',
  end_offset => INTERVAL '1 hour',
  schedule_interval => INTERVAL '10 minutes',
  if_not_exists => true);
SELECT add_continuous_aggregate_policy('system_metrics_daily',
  start_offset => INTERVAL '7 days',
  end_offset => INTERVAL '1 hour',
  schedule_interval => INTERVAL '1 hour',
  if_not_exists => true);

-- Rollup retention: hourly 90 days, daily 365 days (not '1 year', to match the plain flavor exactly).
SELECT add_retention_policy('system_metrics_hourly', drop_after => INTERVAL '90 days', if_not_exists => true);
SELECT add_retention_policy('system_metrics_daily', drop_after => INTERVAL '365 days', if_not_exists => true);
