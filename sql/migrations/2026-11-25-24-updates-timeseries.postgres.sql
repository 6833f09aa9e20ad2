-- The updates domain's time series on plain PostgreSQL; the tables are in 2026-11-25-14-updates.sql.

-- What TimescaleDB gives every hypertable, for fleet-wide time ranges and the retention deletes.
CREATE INDEX update_counts_time_idx ON update_counts (time DESC);
