import postgres, { type Sql } from "postgres";
import { runMigrations } from "../../../sql/src/migrate.ts";
import type { startTestPostgres } from "./servers.ts";

export type TestPostgres = Awaited<ReturnType<typeof startTestPostgres>>;

export interface TestDatabase {
  name: string;
  url: string;
  sql: Sql;
}

let created = 0;

/** A new, empty database in the test cluster, so tests in one file do not see each other's rows. */
export async function freshDatabase(pg: TestPostgres): Promise<TestDatabase> {
  created += 1;
  const name = `t${created}_${process.pid}`;
  await pg.createDatabase(name);
  const url = pg.url.replace(/\/[^/]*$/, `/${name}`);
  // Notices ("already exists, skipping") would only clutter test output.
  return { name, url, sql: postgres(url, { max: 4, onnotice: () => undefined }) };
}

/** A fresh database migrated as plain PostgreSQL (the only flavor this machine can run). */
export async function migratedDatabase(pg: TestPostgres): Promise<TestDatabase> {
  const db = await freshDatabase(pg);
  const outcome = await runMigrations(db.sql, { flavor: "postgres" });
  if (outcome.error !== undefined) throw outcome.error;
  return db;
}
