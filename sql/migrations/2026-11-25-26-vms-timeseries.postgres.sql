-- The vms domain's time series on plain PostgreSQL; the tables are in 2026-11-25-18-vms.sql.

-- TimescaleDB gives every hypertable this index; the plain table gets the same (retention deletes use it).
CREATE INDEX vm_metrics_time_idx ON vm_metrics (time DESC);
