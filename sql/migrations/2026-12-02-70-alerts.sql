-- Alerts (issue 15): the alert engine's state, its history, the operator's mutes, and the outbox that
-- carries each notification to each channel. The same on plain PostgreSQL and TimescaleDB: these are
-- small tables the collector prunes itself (the declarations in shared/lib/db/alert-tables.ts say how long).

-- One row per alert still followed: pending, firing, or resolved while its flips can still make it
-- flap. The engine replaces the set each evaluation (upsert, and delete the ones it forgot).
CREATE TABLE alerts (
  key           text PRIMARY KEY,
  rule          text NOT NULL,
  device        text NOT NULL,
  domain        text NOT NULL,
  severity      text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  what          text NOT NULL,
  evidence      text NOT NULL,
  state         text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  active_since  timestamptz NOT NULL,
  firing_since  timestamptz,
  clear_since   timestamptz,
  resolved_at   timestamptz,
  notified_at   timestamptz,
  acked_at      timestamptz,
  acked_by      text,
  flips         timestamptz[] NOT NULL DEFAULT '{}',
  flapping      boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- What happened to each alert, kept after the alert itself is forgotten. `suppressed` says why an
-- event was not notified (a mute, or its host being down); such events are history all the same.
CREATE TABLE alert_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_key   text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('firing', 'resolved', 'repeat', 'flapping', 'severity_changed',
                                            'acknowledged', 'muted', 'inhibited')),
  at          timestamptz NOT NULL,
  severity    text NOT NULL,
  what        text NOT NULL,
  evidence    text NOT NULL,
  suppressed  text CHECK (suppressed IN ('muted', 'inhibited')),
  actor       text
);
CREATE INDEX alert_events_key_at ON alert_events (alert_key, at);
CREATE INDEX alert_events_at ON alert_events (at);

-- A mute matches an alert when every field given matches; it ends at `until`.
CREATE TABLE alert_mutes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device      text,
  rule        text,
  key         text,
  tag         text,
  until       timestamptz NOT NULL,
  reason      text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_mutes_until ON alert_mutes (until);

-- One row per notification per channel, written in the transaction of the state change it tells
-- about; the sender marks it sent after the channel took it (at least once). The dedup key goes with
-- every attempt, so a receiver that knows it drops a resend. `last_error` is the channel's own
-- message, which never carries the channel's URL or a secret.
CREATE TABLE notification_outbox (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedup_key        text NOT NULL,
  channel          text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('firing', 'resolved', 'acknowledged', 'flapping', 'test')),
  severity         text NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  title            text NOT NULL,
  body             text NOT NULL,
  hosts            text[] NOT NULL,
  at               timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  failed_at        timestamptz,
  last_error       text,
  UNIQUE (dedup_key, channel)
);
-- The sender's scan: rows neither sent nor failed, by when they are due.
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at)
  WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX notification_outbox_created ON notification_outbox (created_at);

-- Each channel's run of failures: /health and /metrics read it, and an outage that lasts is told
-- once on the other channels (`reported_at` set for that outage, cleared when the channel delivers).
CREATE TABLE alert_channel_health (
  channel        text PRIMARY KEY,
  failing_since  timestamptz,
  failures       integer NOT NULL DEFAULT 0,
  last_error     text,
  last_ok_at     timestamptz,
  last_fail_at   timestamptz,
  reported_at    timestamptz
);
