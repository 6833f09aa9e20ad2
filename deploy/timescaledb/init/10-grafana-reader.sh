#!/bin/sh
# Run once by the PostgreSQL image when it initialises an empty data directory
# (/docker-entrypoint-initdb.d, after the TimescaleDB image's own scripts).
# Creates grafana_reader, the role Grafana logs in with: Grafana's users can type any SQL into a
# panel, so it may read every table the collector's migrations create (now or later) and change none.
set -eu
: "${GRAFANA_DB_PASSWORD:?set GRAFANA_DB_PASSWORD}"
admin="${POSTGRES_USER:-postgres}"
# Who creates the tables: the collector's role (05-collector-role.sh), whose migrations run later.
owner="${COLLECTOR_DB_ROLE:-infrastructor}"

# The password and owner travel as psql variables (:'x' quotes a literal, :"x" an identifier),
# never spliced into the SQL text.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$admin" --dbname "${POSTGRES_DB:-$admin}" \
  -v owner="$owner" -v reader_password="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE grafana_reader LOGIN PASSWORD :'reader_password';
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
-- A dashboard query left open on a year of raw rows must not hold the database.
ALTER ROLE grafana_reader SET statement_timeout = '60s';
GRANT USAGE ON SCHEMA public TO grafana_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO grafana_reader;
-- Tables and views the owner creates later (the collector migrates after this runs).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT ON TABLES TO grafana_reader;
SQL
