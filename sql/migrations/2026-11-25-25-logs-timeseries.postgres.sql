-- The logs domain's time series on plain PostgreSQL; the tables are in 2026-11-25-15-logs.sql.

CREATE INDEX logs_time_idx ON logs (time DESC);
