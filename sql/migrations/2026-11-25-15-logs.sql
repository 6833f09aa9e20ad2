-- The logs domain's tables, the same on plain PostgreSQL and TimescaleDB. What differs per flavor
-- (hypertables and their policies, or plain time indexes) is in 2026-11-25-25-logs-timeseries.*.sql.

-- Log entries (journal or syslog) per device, kept 14 days. entry_id is unique per entry on its host
-- (a hash of the journal cursor, or inode:offset in the syslog file), so an entry the agent sends again
-- after a restart is stored once. Queries by service, priority and text (the MCP server):
--   WHERE device_id = $1 AND time > $2 [AND unit = $3] [AND priority <= $4]
--   [AND to_tsvector('simple', message) @@ websearch_to_tsquery('simple', $5)]
-- The text index uses the 'simple' configuration (no stemming, no stop words): log lines are identifiers,
-- paths and error codes more than English prose. Queries must use the same expression to use it.
CREATE TABLE logs (
  time       timestamptz NOT NULL,
  device_id  integer NOT NULL,
  entry_id   text NOT NULL,
  source     text NOT NULL CHECK (source IN ('journal', 'syslog')),
  priority   integer CHECK (priority BETWEEN 0 AND 7),
  facility   integer CHECK (facility BETWEEN 0 AND 23),
  hostname   text NOT NULL,
  unit       text NOT NULL,
  identifier text NOT NULL,
  pid        integer,
  message    text NOT NULL,
  PRIMARY KEY (device_id, time, entry_id)
);
CREATE INDEX logs_device_unit_time_idx ON logs (device_id, unit, time DESC);
CREATE INDEX logs_device_priority_time_idx ON logs (device_id, priority, time DESC);
CREATE INDEX logs_message_fts_idx ON logs USING GIN (to_tsvector('simple', message));
