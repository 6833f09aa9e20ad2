-- Enrollment tokens: what `install.sh --token T` (and the SSH deploy) present to POST /api/enroll to get
-- an agent config and NATS credentials. Only the token's SHA-256 is stored: a database dump does not
-- hand out enrollments. A token is consumed by one UPDATE ... WHERE uses < max_uses RETURNING, so two
-- enrollments racing on a single-use token cannot both succeed.
CREATE TABLE enrollment_tokens (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_sha256   text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  note           text NOT NULL DEFAULT '',
  -- When set, only this host name may enroll with the token (the SSH deploy makes one per host).
  host           text,
  max_uses       integer NOT NULL CHECK (max_uses >= 1),
  uses           integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  last_used_at   timestamptz,
  last_used_host text
);
