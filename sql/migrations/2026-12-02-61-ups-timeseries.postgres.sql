-- The ups domain's time series on plain PostgreSQL; the tables are in 2026-12-02-60-ups.sql.

-- TimescaleDB gives every hypertable this index; the plain table gets the same (retention deletes use it).
CREATE INDEX ups_metrics_time_idx ON ups_metrics (time DESC);
