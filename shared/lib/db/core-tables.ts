import { bool, bytea, int4, int8, jsonb, text, textArray, timestamptz } from "./column.ts";
import { table } from "./table.ts";

/** Tables of no one domain: the fleet, the ingest's own bookkeeping, enrollment and SSH trust. */

export const devices = table(
  "devices",
  {
    id: int4().withDefault(),
    hostname: text(),
    ssh_host: text().nullable(),
    ssh_port: int4().nullable(),
    ssh_user: text().nullable(),
    ssh_key_path: text().nullable(),
    tags: textArray().withDefault(),
    first_seen: timestamptz().nullable(),
    last_seen: timestamptz().nullable(),
    agent_version: text().nullable(),
    os: text().nullable(),
    kernel: text().nullable(),
    arch: text().nullable(),
    cpu_model: text().nullable(),
    cpu_cores: int4().nullable(),
    memory_total_bytes: int8().nullable(),
    created_at: timestamptz<Date>().withDefault(),
    /** agent.json's `domains`/`roots` for running this host's collectors live (migration 31). */
    live_config: jsonb<Record<string, unknown>>().withDefault(),
  },
  { kind: "record", primaryKey: ["id"], unique: [["hostname"]] },
);

/** Each device's newest envelope per domain, whatever the domain (what the MCP tools read first). */
export const latestState = table(
  "latest_state",
  {
    device_id: int4(),
    domain: text(),
    collected_at: timestamptz(),
    received_at: timestamptz<Date>().withDefault(),
    boot_id: text(),
    seq: int8(),
    payload: jsonb(),
    errors: jsonb(),
    status: text<"ok" | "failed" | "unavailable">(),
    status_at: timestamptz(),
  },
  { kind: "state", primaryKey: ["device_id", "domain"] },
);

export const ingestRejects = table(
  "ingest_rejects",
  {
    id: int8<number>().withDefault(),
    received_at: timestamptz<Date>().withDefault(),
    subject: text(),
    reason: text(),
    detail: text().nullable(),
    stream_seq: int8().nullable(),
    payload_bytes: int4(),
    payload: bytea(),
  },
  {
    kind: "record",
    primaryKey: ["id"],
    unique: [["stream_seq"]],
    retention: { keep: "rejects", by: "received_at" },
  },
);

/** The MCP server's pinned SSH host keys (sql/migrations/2026-11-25-30-ssh-host-keys.sql). */
export const sshHostKeys = table(
  "ssh_host_keys",
  {
    host: text(),
    port: int4(),
    key_type: text(),
    /** OpenSSH's form: `SHA256:` and the unpadded base64 of the key blob's SHA-256. */
    fingerprint_sha256: text(),
    first_seen: timestamptz<Date>().withDefault(),
    last_seen: timestamptz<Date>().withDefault(),
  },
  { kind: "record", primaryKey: ["host", "port"] },
);

/** Enrollment tokens (sql/migrations/2026-11-25-41-enrollment-tokens.sql): only the token's hash is kept. */
export const enrollmentTokens = table(
  "enrollment_tokens",
  {
    id: int8<number>().withDefault(),
    token_sha256: text(),
    note: text(),
    host: text().nullable(),
    max_uses: int4(),
    uses: int4().withDefault(),
    created_at: timestamptz<Date>().withDefault(),
    expires_at: timestamptz(),
    revoked_at: timestamptz().nullable(),
    last_used_at: timestamptz().nullable(),
    last_used_host: text().nullable(),
  },
  { kind: "record", primaryKey: ["id"], unique: [["token_sha256"]] },
);

/** NATS user keys issued to hosts, live or revoked (sql/migrations/2026-11-25-40-nats-credentials.sql). */
export const natsCredentials = table(
  "nats_credentials",
  {
    /** The nkey of the user (`U...`); the JWT and seed are handed out once and never stored. */
    user_public_key: text(),
    hostname: text(),
    issued_at: timestamptz<Date>(),
    revoked_at: timestamptz<Date>().nullable(),
  },
  // One live key per host is a partial unique index (WHERE revoked_at IS NULL): not declared here.
  { kind: "record", primaryKey: ["user_public_key"] },
);

/**
 * One enrollment attempt (sql/migrations/2026-12-02-30-enrollment-events.sql), kept a year: long
 * enough to trace a takeover attempt back; its growth is otherwise bounded only by /api/enroll's rate limit.
 */
export const enrollmentEvents = table(
  "enrollment_events",
  {
    id: int8<number>().withDefault(),
    at: timestamptz<Date>().withDefault(),
    hostname: text(),
    outcome: text<"enrolled" | "replaced" | "refused">(),
    code: text().nullable(),
    token_id: int8<number>().nullable(),
    client: text(),
    replace_asked: bool(),
  },
  { kind: "record", primaryKey: ["id"], retention: { keep: { days: 365 }, by: "at" } },
);

export const CORE_TABLES = [
  devices,
  latestState,
  ingestRejects,
  sshHostKeys,
  enrollmentTokens,
  natsCredentials,
  enrollmentEvents,
] as const;
