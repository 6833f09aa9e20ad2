import { afterAll, beforeAll } from "bun:test";
import { freshDatabase, migratedDatabase, type TestDatabase, type TestPostgres } from "./databases.ts";
import { startTestPostgres } from "./servers.ts";

export interface TestCluster {
  /** A new, empty database. */
  fresh(): Promise<TestDatabase>;
  /** A new database migrated as plain PostgreSQL. */
  migrated(): Promise<TestDatabase>;
}

/**
 * One PostgreSQL for the calling test file, started in its beforeAll; every database handed out is
 * closed, and the server deleted, in its afterAll. Call at the top level of the file.
 */
export function useTestCluster(): TestCluster {
  let pg: TestPostgres | undefined;
  const opened: TestDatabase[] = [];
  beforeAll(async () => {
    pg = await startTestPostgres();
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.sql.end()));
    await pg?.destroy();
  });
  const open = async (make: (pg: TestPostgres) => Promise<TestDatabase>): Promise<TestDatabase> => {
    if (pg === undefined) throw new Error("useTestCluster: no server yet (call databases inside tests)");
    const db = await make(pg);
    opened.push(db);
    return db;
  };
  return { fresh: () => open(freshDatabase), migrated: () => open(migratedDatabase) };
}
