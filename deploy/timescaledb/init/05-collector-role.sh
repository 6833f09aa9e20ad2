#!/bin/sh
# Run once by the PostgreSQL image when it initialises an empty data directory
# (/docker-entrypoint-initdb.d, after the TimescaleDB image's own scripts, before 10-grafana-reader.sh).
# Creates the role the collector (and its MCP server) logs in with: it owns the database, so the
# migrations run as it, but it is no superuser, cannot create roles or databases, and so cannot
# COPY ... TO PROGRAM or read the server's files. POSTGRES_USER stays the superuser, used by no service.
# CREATE EXTENSION timescaledb needs a superuser: the image's own init script has already created it in
# POSTGRES_DB, so the migrations' CREATE EXTENSION IF NOT EXISTS timescaledb is a no-op the owner may run.
set -eu
: "${COLLECTOR_DB_PASSWORD:?set COLLECTOR_DB_PASSWORD}"
admin="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$admin}"
role="${COLLECTOR_DB_ROLE:-infrastructor}"

# Names and the password travel as psql variables, quoted by the server (format %I / %L), never spliced
# into the SQL text.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$admin" --dbname "$db" \
  -v role="$role" -v db="$db" -v password="$COLLECTOR_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'role', :'password') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \gexec
-- PostgreSQL 15+: the public schema belongs to the database owner; say so for older servers too.
SELECT format('ALTER SCHEMA public OWNER TO %I', :'role') \gexec
SQL
