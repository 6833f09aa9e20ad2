-- The backups domain's time series on plain PostgreSQL; the tables are in 2026-11-25-13-backups.sql.

-- What TimescaleDB gives every hypertable, for fleet-wide time ranges and the retention deletes.
CREATE INDEX backup_probe_results_time_idx ON backup_probe_results (time DESC);
