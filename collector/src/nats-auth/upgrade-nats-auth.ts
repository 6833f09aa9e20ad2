import { createAccount } from "@nats-io/jwt";
import type { AuthState } from "./auth-files.ts";
import { writeAccountFiles } from "./init-nats-auth.ts";
import { readAuthState, readSeed } from "./load-nats-auth.ts";

export interface UpgradeResult {
  state: AuthState;
  /** false: the directory was already the current layout and nothing was written. */
  upgraded: boolean;
}

/**
 * Turns a version 1 auth directory (host users in INFRA, beside JetStream) into the current layout,
 * keeping the operator, the system account and INFRA (so the stream and its data stay where they are):
 * - a HOSTS account (seed and signing seed) that later `nats issue` mints host users in;
 * - a new INFRA signing key, and the collector's credentials re-minted with it. INFRA's JWT names only
 *   the new key, so every user the old key signed, i.e. every host issued before, is refused the moment
 *   the new JWT reaches the server (the collector pushes it at start). Those hosts must be issued again
 *   (re-enroll them); until then their agents keep their data in the spool.
 * - the server config with the three accounts preloaded.
 * Needs only the operator's signing seed. Safe to repeat after a crash: the state is written last.
 */
export async function upgradeNatsAuth(dir: string): Promise<UpgradeResult> {
  const old = await readAuthState(dir);
  if (old.version === 2) return { state: old, upgraded: false };
  const operatorSigner = await readSeed(dir, "operatorSigningSeed", old.operator.signing_key);
  const infraSigner = createAccount();
  const hosts = createAccount();
  const hostsSigner = createAccount();
  const state: AuthState = {
    ...old,
    version: 2,
    infra_account: { ...old.infra_account, signing_key: infraSigner.getPublicKey() },
    hosts_account: {
      name: "HOSTS",
      public_key: hosts.getPublicKey(),
      signing_key: hostsSigner.getPublicKey(),
      created_at: new Date().toISOString(),
    },
  };
  await writeAccountFiles(dir, state, { operatorSigner, infraSigner, hosts, hostsSigner });
  return { state, upgraded: true };
}
