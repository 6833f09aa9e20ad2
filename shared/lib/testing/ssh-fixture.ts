import type { Database } from "@infrastructor/lib/db/database.ts";
import { PgHostKeyStore } from "@infrastructor/lib/exec/ssh/host-key-store.ts";
import { SshPool, type SshPoolOptions, type SshTarget } from "@infrastructor/lib/exec/ssh/ssh-pool.ts";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import { migratedDatabase, type TestDatabase } from "./databases.ts";
import { startTestPostgres } from "./servers.ts";
import { startTestSshd, type TestSshd } from "./sshd.ts";
import type { LoginUserOptions } from "./sshd-login-user.ts";

export interface SshFixture {
  sshd: TestSshd;
  pg: Awaited<ReturnType<typeof startTestPostgres>>;
  database: TestDatabase;
  db: Kysely<Database>;
  store: PgHostKeyStore;
  target: SshTarget;
  /** A pool over the real store; known_hosts off unless given. Closed by destroy(). */
  pool(options?: Partial<SshPoolOptions>): SshPool;
  destroy(): Promise<void>;
}

/**
 * A real sshd on loopback and a migrated PostgreSQL holding the host-key pins, for one test file;
 * `login` chooses the sshd's login account (shared/lib/testing/sshd-login-user.ts).
 */
export async function startSshFixture(login: Partial<LoginUserOptions> = {}): Promise<SshFixture> {
  const [sshd, pg] = await Promise.all([startTestSshd(login), startTestPostgres()]);
  const database = await migratedDatabase(pg);
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: database.sql }) });
  const store = new PgHostKeyStore(db);
  const pools: SshPool[] = [];
  return {
    sshd,
    pg,
    database,
    db,
    store,
    target: { host: sshd.host, port: sshd.port, user: sshd.user, keyPath: sshd.keyPath, device: "loopback" },
    pool(options = {}) {
      const pool = new SshPool({ hostKeys: { store, knownHostsPath: null }, ...options });
      pools.push(pool);
      return pool;
    },
    async destroy() {
      await Promise.all(pools.map((p) => p.close()));
      await db.destroy();
      await Promise.all([sshd.destroy(), pg.destroy()]);
    },
  };
}
