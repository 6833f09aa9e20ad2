import type { Database } from "@infrastructor/lib/db/database.ts";
import type { Kysely } from "kysely";
import { deviceTarget } from "./device-target.ts";
import { PgHostKeyStore } from "./host-key-store.ts";
import { SshExecutor } from "./ssh-executor.ts";
import { SshPool } from "./ssh-pool.ts";
import type { SshSettings } from "./ssh-settings.ts";

/**
 * Re-trusts a device whose host key really changed: forgets its pin, connects once (the pool pins the
 * key presented, unless known_hosts vouches for it) and says what was forgotten and what holds now.
 * Both operator CLIs (`mcp/src/cli.ts trust-host`, `infra devices trust-host-key`) run this, so the two
 * commands cannot drift. NOT_FOUND: no such device; CONFIG_INVALID: it has no SSH target.
 */
export async function trustHost(
  db: Kysely<Database>,
  device: string,
  ssh: Pick<SshSettings, "knownHostsPath" | "agentSocket">,
  out: (line: string) => void,
): Promise<void> {
  const target = await deviceTarget(db, device);
  const store = new PgHostKeyStore(db);
  const old = await store.find(target.host, target.port);
  await store.forget(target.host, target.port);
  if (old !== undefined) out(`forgot ${old.fingerprint} (${old.keyType}) for ${target.host}:${target.port}`);
  const pool = new SshPool({
    hostKeys: { store, knownHostsPath: ssh.knownHostsPath },
    agentSocket: ssh.agentSocket,
  });
  try {
    await new SshExecutor(pool, target).run(["true"]);
  } finally {
    await pool.close();
  }
  const now = await store.find(target.host, target.port);
  out(
    now === undefined
      ? `${target.host}:${target.port} matches its known_hosts entry (nothing pinned)`
      : `pinned ${now.fingerprint} (${now.keyType}) for ${target.host}:${target.port}`,
  );
}
