import type { Database } from "@infrastructor/lib/db/database.ts";
import type { Kysely } from "kysely";

/**
 * Every agent start has a random boot_id, carried by each message it sends; latest_state keeps the last
 * one per domain. A boot_id we have not seen before the install is therefore the new agent's first
 * message in the database, whatever the clocks of the host and this machine say.
 */
export async function knownBootIds(db: Kysely<Database>, device: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("latest_state")
    .innerJoin("devices", "devices.id", "latest_state.device_id")
    .select("latest_state.boot_id")
    .where("devices.hostname", "=", device)
    .execute();
  return new Set(rows.map((r) => r.boot_id));
}

export interface FirstMessage {
  bootId: string;
  agentVersion: string | null;
}

/** Polls until a message from a boot_id not in `known` is stored; null after `timeoutMs`. */
export async function waitForFirstMessage(
  db: Kysely<Database>,
  device: string,
  known: ReadonlySet<string>,
  timeoutMs: number,
  pollMs = 500,
): Promise<FirstMessage | null> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const rows = await db
      .selectFrom("latest_state")
      .innerJoin("devices", "devices.id", "latest_state.device_id")
      .select(["latest_state.boot_id", "devices.agent_version"])
      .where("devices.hostname", "=", device)
      .execute();
    const fresh = rows.find((r) => !known.has(r.boot_id));
    if (fresh !== undefined) return { bootId: fresh.boot_id, agentVersion: fresh.agent_version };
    if (performance.now() >= deadline) return null;
    await Bun.sleep(pollMs);
  }
}
