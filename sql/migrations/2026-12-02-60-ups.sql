-- The ups domain's tables (Network UPS Tools), the same on plain PostgreSQL and TimescaleDB. What
-- differs per flavor (the hypertable and its policies, or a plain time index) is in
-- 2026-12-02-61-ups-timeseries.*.sql.

-- Current state: ups_state says, per device, whether `upsc` answered in the newest envelope (its
-- collected_at orders the writes); ups_devices holds the UPS units of the newest listing that worked.
-- A failed listing keeps the previous units.
CREATE TABLE ups_state (
  device_id     integer PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  collected_at  timestamptz NOT NULL,
  upsc_status   text NOT NULL CHECK (upsc_status IN ('ok', 'failed')),
  upsc_error    text
);

CREATE TABLE ups_devices (
  device_id   integer NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  ups         text NOT NULL,
  model       text,
  mfr         text,
  serial      text,
  status      text NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (device_id, ups)
);

-- Battery and power over time: one row per UPS and sample (every 60 s by default).
CREATE TABLE ups_metrics (
  time                timestamptz NOT NULL,
  device_id           integer NOT NULL,
  ups                 text NOT NULL,
  status              text NOT NULL,
  battery_charge_pct  real,
  battery_runtime_s   real,
  load_pct            real,
  input_voltage_v     real,
  output_voltage_v    real,
  battery_voltage_v   real,
  temperature_c       real,
  PRIMARY KEY (device_id, ups, time)
);
