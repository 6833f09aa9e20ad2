import {
  COLLECTOR_INBOX_PREFIX,
  hostInboxPrefix,
  hostSubjectWildcard,
} from "@infrastructor/shared/subjects.ts";

/** What a user JWT may do: the `nats` part of its claims that our users set. */
export interface UserPermissions {
  pub: { allow: string[] };
  sub: { allow: string[] };
  /** Plain client connections only: no websocket, MQTT or leafnode way around the rules. */
  allowed_connection_types: "STANDARD"[];
  /** Largest message (headers and data) the server takes from this user; -1 none beyond the server's. */
  payload?: number;
  /** Most subscriptions one connection may hold; -1 unlimited. */
  subs?: number;
}

/**
 * A host's largest message: the collector's INGEST_MAX_MESSAGE_BYTES default (1 MiB), so a server whose
 * max_payload was raised for someone else still refuses a host's bigger message at the door (the server
 * answers `-ERR 'Maximum Payload Violation'` and closes that host's connection, no one else's).
 */
export const HOST_MAX_PAYLOAD_BYTES = 1024 ** 2;
/** The agent holds one subscription (nats.js's request inbox); a few spare, no more, so a host cannot
 * make the server keep thousands of interest entries for it. */
export const HOST_MAX_SUBSCRIPTIONS = 8;

/**
 * A host user lives in the HOSTS account (account-jwt.ts), which reaches JetStream only through the
 * telemetry service import; these permissions keep each host to its own subjects and inbox inside it.
 * A host may publish its own telemetry and read the acks JetStream sends to its own inbox, nothing more:
 * no other host's subjects, no `$JS.API` (so no stream reads, no consumer of its own), no other inbox.
 * A JetStream publish is a plain publish with a reply subject, so this is all the agent needs.
 */
export function hostPermissions(host: string): UserPermissions {
  return {
    pub: { allow: [hostSubjectWildcard(host)] },
    sub: { allow: [`${hostInboxPrefix(host)}.>`] },
    allowed_connection_types: ["STANDARD"],
    payload: HOST_MAX_PAYLOAD_BYTES,
    subs: HOST_MAX_SUBSCRIPTIONS,
  };
}

/**
 * The collector manages the stream and its durable consumer (`$JS.API.>`), pulls and acks (`$JS.ACK.>`),
 * and hears the answers on its own inbox. It never publishes telemetry, so it cannot forge a host's.
 */
export function collectorPermissions(): UserPermissions {
  return {
    pub: { allow: ["$JS.API.>", "$JS.ACK.>"] },
    sub: { allow: [`${COLLECTOR_INBOX_PREFIX}.>`] },
    allowed_connection_types: ["STANDARD"],
  };
}

/** The system-account user that pushes account JWTs (revocations) to the servers, and nothing else. */
export const CLAIMS_UPDATE_SUBJECT = "$SYS.REQ.CLAIMS.UPDATE";

export function systemPermissions(): UserPermissions {
  return {
    pub: { allow: [CLAIMS_UPDATE_SUBJECT] },
    sub: { allow: ["_INBOX.>"] },
    allowed_connection_types: ["STANDARD"],
  };
}

/** Account limits: unlimited (-1) everywhere; the JetStream ones enable JetStream for the account. */
const BASE_LIMITS = {
  conn: -1,
  leaf: -1,
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
} as const;

export const SYSTEM_ACCOUNT_LIMITS = BASE_LIMITS;

/** No JetStream limits: JetStream is off in HOSTS, so no `$JS.API` request made there does anything. */
export const HOSTS_ACCOUNT_LIMITS = BASE_LIMITS;

export const INFRA_ACCOUNT_LIMITS = {
  ...BASE_LIMITS,
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
} as const;
