-- NATS credentials issued to hosts (collector/src/nats-auth/). The JWT itself is never stored: a
-- credentials file is handed out once; what must survive is who holds which user key and whether it
-- was revoked, because revocation is a list in the account JWT that the collector rebuilds from this
-- table and pushes to nats-server. issued_at is the user JWT's own iat (whole seconds). A host has at
-- most one live key; re-issuing revokes the old one.
CREATE TABLE nats_credentials (
  user_public_key text PRIMARY KEY CHECK (user_public_key ~ '^U[A-Z2-7]{55}$'),
  hostname        text NOT NULL CHECK (hostname ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  issued_at       timestamptz NOT NULL,
  -- No revoked_at >= issued_at check: the clock may step back, and a revocation must never fail.
  revoked_at      timestamptz
);
CREATE UNIQUE INDEX nats_credentials_live_host ON nats_credentials (hostname) WHERE revoked_at IS NULL;
