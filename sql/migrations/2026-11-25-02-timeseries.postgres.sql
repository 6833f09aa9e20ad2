-- Time-series storage on plain PostgreSQL (14+). The twin 2026-11-25-02-timeseries.timescaledb.sql makes
-- hypertables and continuous aggregates; here the same names are plain tables, kept by the collector
-- (collector/src/maintenance: refresh-rollups.ts fills the rollups, enforce-retention.ts deletes old rows).

-- TimescaleDB's time_bucket(interval, timestamptz), so dashboards and MCP queries run on both flavors.
-- Same results: buckets are computed in UTC whatever the session time zone; widths without months are
-- aligned to TimescaleDB's default origin, Monday 2000-01-03 00:00 UTC (so weeks start on Mondays, like
-- date_trunc); month and year widths count whole months from 2000-01-01 UTC. Widths that mix months
-- with days or time, or are not positive, raise an error as TimescaleDB does. Infinity passes through.
-- A single SQL expression, so the planner inlines it (no per-row function call).
CREATE FUNCTION time_bucket(bucket_width interval, ts timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
  WHEN extract(year FROM bucket_width) = 0 AND extract(month FROM bucket_width) = 0
    THEN date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00')
  WHEN NOT isfinite(ts) THEN ts
  WHEN extract(year FROM bucket_width) * 12 + extract(month FROM bucket_width) > 0
    AND bucket_width = (extract(year FROM bucket_width) * 12 + extract(month FROM bucket_width)) * INTERVAL '1 month'
    THEN (
      TIMESTAMP '2000-01-01 00:00:00'
      + floor(
          ((extract(year FROM ts AT TIME ZONE 'UTC') - 2000) * 12 + extract(month FROM ts AT TIME ZONE 'UTC') - 1)
          / (extract(year FROM bucket_width) * 12 + extract(month FROM bucket_width))
        )
        * (extract(year FROM bucket_width) * 12 + extract(month FROM bucket_width))
        * INTERVAL '1 month'
    ) AT TIME ZONE 'UTC'
  -- date_bin refuses intervals containing months: the error TimescaleDB would also raise
  ELSE date_bin(bucket_width, ts, timestamptz '2000-01-03 00:00:00+00')
END;

-- TimescaleDB gives every hypertable an index on (time DESC) with these names; plain tables get the same,
-- for fleet-wide time-range reads and for the retention deletes.
CREATE INDEX system_metrics_time_idx ON system_metrics (time DESC);
CREATE INDEX disk_usage_time_idx ON disk_usage (time DESC);
CREATE INDEX disk_io_time_idx ON disk_io (time DESC);
CREATE INDEX network_io_time_idx ON network_io (time DESC);
CREATE INDEX temperatures_time_idx ON temperatures (time DESC);

-- Rollups: the continuous aggregates' columns, in their order and with the types their expressions
-- produce (count -> bigint, avg(real) -> double precision, max keeps the column type).
CREATE TABLE system_metrics_hourly (
  bucket              timestamptz NOT NULL,
  device_id           integer NOT NULL,
  samples             bigint NOT NULL,
  cpu_pct_avg         double precision,
  cpu_pct_max         real,
  load_1_avg          double precision NOT NULL,
  load_1_max          real NOT NULL,
  mem_used_bytes_avg  double precision NOT NULL,
  mem_used_bytes_max  bigint NOT NULL,
  mem_total_bytes     bigint NOT NULL,
  swap_used_bytes_max bigint NOT NULL,
  process_count_max   integer NOT NULL,
  PRIMARY KEY (device_id, bucket)
);
CREATE INDEX system_metrics_hourly_bucket_idx ON system_metrics_hourly (bucket DESC);

CREATE TABLE system_metrics_daily (LIKE system_metrics_hourly INCLUDING ALL);
