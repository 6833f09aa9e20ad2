-- The MCP server's pinned SSH host keys (trust on first use). The first connection to host:port records
-- the key's type and SHA-256 fingerprint; a later connection presenting another key is refused with
-- HOST_KEY_MISMATCH until an operator forgets the pin (`bun mcp/src/cli.ts trust-host DEVICE`).
-- Keyed by the address, not the device: two devices behind one address share one host key.
CREATE TABLE ssh_host_keys (
  host               text NOT NULL,
  port               integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  key_type           text NOT NULL,
  fingerprint_sha256 text NOT NULL CHECK (fingerprint_sha256 LIKE 'SHA256:%'),
  first_seen         timestamptz NOT NULL DEFAULT now(),
  last_seen          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (host, port)
);
