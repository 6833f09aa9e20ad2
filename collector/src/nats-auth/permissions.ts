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
}

/**
 * A host may publish its own telemetry and read the acks JetStream sends to its own inbox, nothing more:
 * no other host's subjects, no `$JS.API` (so no stream reads, no consumer of its own), no other inbox.
 * A JetStream publish is a plain publish with a reply subject, so this is all the agent needs.
 */
export function hostPermissions(host: string): UserPermissions {
  return {
    pub: { allow: [hostSubjectWildcard(host)] },
    sub: { allow: [`${hostInboxPrefix(host)}.>`] },
    allowed_connection_types: ["STANDARD"],
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

export const INFRA_ACCOUNT_LIMITS = {
  ...BASE_LIMITS,
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
} as const;
