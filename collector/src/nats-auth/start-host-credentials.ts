import type { Database } from "@infrastructor/lib/db/database.ts";
import type { Kysely } from "kysely";
import type { CollectorConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import { HostCredentials } from "./host-credentials.ts";
import { loadNatsAuth } from "./load-nats-auth.ts";
import { crashesOnWildcardReply } from "./server-version.ts";

/**
 * With NATS_AUTH_DIR set: loads the auth directory and pushes the INFRA account JWT and the HOSTS one with
 * every revocation the database holds, so the server agrees with it before any host is enrolled or revoked. The returned
 * object is what enrollment (POST /api/enroll) issues credentials through. null without NATS_AUTH_DIR.
 */
export async function startHostCredentials(
  config: CollectorConfig,
  db: Kysely<Database>,
  log: Logger,
): Promise<HostCredentials | null> {
  if (config.nats.authDir === undefined) return null;
  const auth = await loadNatsAuth(config.nats.authDir);
  const credentials = new HostCredentials({
    db,
    auth,
    natsUrl: config.nats.url,
    natsCaFile: config.nats.caFile ?? null,
  });
  const { revoked, serverVersion } = await credentials.pushRevocations();
  if (crashesOnWildcardReply(serverVersion)) {
    log.warn(
      { part: "nats-auth", server_version: serverVersion },
      "this nats-server exits when a host publishes with a wildcard reply subject (fixed in 2.9.15): any host can stop it; upgrade nats-server (deploy/README.md)",
    );
  }
  log.info(
    {
      part: "nats-auth",
      revoked,
      account: auth.state.infra_account.public_key,
      hosts_account: auth.state.hosts_account.public_key,
    },
    "NATS accounts pushed",
  );
  return credentials;
}
