-- Every enrollment attempt that reached the token check (POST /api/enroll): who asked for which host
-- name with which token, and what came of it. 'replaced' is a re-enrollment that revoked the host's
-- earlier NATS key (asked for with replace: true); 'refused' carries the refusal's error code. An
-- operator reads it with `enroll-token events` or GET /api/enroll-events to see a takeover attempt.
CREATE TABLE enrollment_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT now(),
  hostname        text NOT NULL CHECK (hostname ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  outcome         text NOT NULL CHECK (outcome IN ('enrolled', 'replaced', 'refused')),
  code            text CHECK (code IS NULL OR code ~ '^[A-Z][A-Z_]{0,63}$'),
  token_id        bigint REFERENCES enrollment_tokens (id) ON DELETE SET NULL,
  -- The client's address as the collector saw it (a proxy's address behind one); '' when unknown.
  client          text NOT NULL DEFAULT '' CHECK (length(client) <= 64),
  replace_asked   boolean NOT NULL DEFAULT false
);
CREATE INDEX enrollment_events_at ON enrollment_events (at);
CREATE INDEX enrollment_events_host_at ON enrollment_events (hostname, at);
