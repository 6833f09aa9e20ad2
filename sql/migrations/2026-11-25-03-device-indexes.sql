-- "Which devices went quiet" (the MCP fleet overview, stale-agent alerts) filters and sorts on last_seen.
-- latest_state needs nothing more: every read is by device (its primary key's first column) or reads all
-- of it, and it holds one row per device and domain.
CREATE INDEX devices_last_seen_idx ON devices (last_seen);
