-- zfs in failure states (issue 13). The same on plain PostgreSQL and TimescaleDB.

-- A pool that is UNAVAIL or FAULTED has no readable space maps: `zpool list` prints "-" for its size,
-- alloc, free and capacity, and the agent sends null. Its health over time is what matters then, so
-- the row is stored with those columns null rather than dropped. (On TimescaleDB, DROP NOT NULL on a
-- hypertable with compressed chunks needs 2.18 or newer: timescale/timescaledb#7455; it rewrites
-- nothing.)
ALTER TABLE zfs_pool_metrics ALTER COLUMN size_bytes DROP NOT NULL;
ALTER TABLE zfs_pool_metrics ALTER COLUMN alloc_bytes DROP NOT NULL;
ALTER TABLE zfs_pool_metrics ALTER COLUMN free_bytes DROP NOT NULL;
ALTER TABLE zfs_pool_metrics ALTER COLUMN capacity_pct DROP NOT NULL;

-- Scan lines of a form the agent does not know are kept as 'unknown' (with their text in the
-- payload); an error scrub, removal or expansion arrives as an activity and, in a newer agent, may be
-- the pool's scan.
ALTER TABLE zfs_pools DROP CONSTRAINT zfs_pools_scan_function_check;
ALTER TABLE zfs_pools ADD CONSTRAINT zfs_pools_scan_function_check
  CHECK (scan_function IN ('none', 'scrub', 'resilver', 'errorscrub', 'removal', 'expand', 'unknown'));
ALTER TABLE zfs_pools DROP CONSTRAINT zfs_pools_scan_state_check;
ALTER TABLE zfs_pools ADD CONSTRAINT zfs_pools_scan_state_check
  CHECK (scan_state IN ('none', 'in_progress', 'paused', 'finished', 'canceled', 'unknown'));

-- `zpool status -v`: how many damaged files zpool listed (the first 100 by name are in the payload).
ALTER TABLE zfs_pools ADD COLUMN error_files_total bigint;
