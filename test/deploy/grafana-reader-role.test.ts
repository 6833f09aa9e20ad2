import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectAsGrafanaReader, runGrafanaReaderScript } from "@infrastructor/lib/testing/grafana-reader.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres, { type Sql } from "postgres";
import { runMigrations } from "../../sql/src/migrate.ts";

/**
 * The database container's init script runs before the collector has migrated anything: the role it
 * creates must still read every relation the migrations create afterwards, and write none.
 */
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let owner: Sql;
let reader: Sql;

beforeAll(async () => {
  pg = await startTestPostgres();
  owner = postgres(pg.url, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await reader?.end();
  await owner?.end();
  await pg?.destroy();
});

describe("deploy/timescaledb/init/10-grafana-reader.sh", () => {
  test("refuses to run without GRAFANA_DB_PASSWORD, creating nothing", async () => {
    const run = await runGrafanaReaderScript(pg, undefined);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("GRAFANA_DB_PASSWORD");
    expect(await owner`SELECT 1 FROM pg_roles WHERE rolname = 'grafana_reader'`).toHaveLength(0);
  });

  test("on an empty database, then the migrations: grafana_reader reads every relation", async () => {
    const run = await runGrafanaReaderScript(pg, "a password with ' and spaces");
    expect(run).toEqual({ exitCode: 0, stderr: "" });
    const outcome = await runMigrations(owner);
    expect(outcome.error).toBeUndefined();

    reader = connectAsGrafanaReader(pg);
    const relations = await reader<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1`;
    expect(relations.map((r) => r.name)).toContain("system_metrics_hourly");
    expect(relations.length).toBeGreaterThan(30);
    for (const { name } of relations) {
      await reader`SELECT * FROM ${reader(name)} LIMIT 1`;
    }
  });

  test("grafana_reader writes nothing: read-only by default, and no write grant when it asks for a write", async () => {
    const readOnly = await reader`INSERT INTO devices (hostname) VALUES ('x')`.catch((e) => e);
    expect(readOnly.code).toBe("25006"); // read_only_sql_transaction
    const denied = await reader
      .begin("read write", (tx) => tx`INSERT INTO devices (hostname) VALUES ('x')`)
      .catch((e) => e);
    expect(denied.code).toBe("42501"); // insufficient_privilege
    const [setting] = await reader`SELECT current_setting('statement_timeout') AS timeout`;
    expect(setting?.timeout).toBe("1min");
  });
});
