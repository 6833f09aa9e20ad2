-- The smart domain's time series on plain PostgreSQL; the tables are in 2026-11-25-11-smart.sql.

CREATE INDEX smart_metrics_time_idx ON smart_metrics (time DESC);
