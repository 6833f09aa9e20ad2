import { resolve } from "node:path";
import postgres, { type Sql } from "postgres";

/** deploy/timescaledb/init/10-grafana-reader.sh, which the database container runs once at its first start. */
export const GRAFANA_READER_SCRIPT = resolve(
  import.meta.dir,
  "../../../deploy/timescaledb/init/10-grafana-reader.sh",
);

export interface ScriptRun {
  exitCode: number;
  stderr: string;
}

/** Runs the init script against a test cluster, with the variables the PostgreSQL image gives it. */
export async function runGrafanaReaderScript(
  pg: { port: number; user: string; database: string },
  password: string | undefined,
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const proc = Bun.spawn(["sh", GRAFANA_READER_SCRIPT], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      PGHOST: "127.0.0.1",
      PGPORT: String(pg.port),
      POSTGRES_USER: pg.user,
      POSTGRES_DB: pg.database,
      ...(password === undefined ? {} : { GRAFANA_DB_PASSWORD: password }),
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [exitCode, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { exitCode, stderr };
}

/** A connection as grafana_reader (the test clusters trust local logins, so the password is not checked). */
export function connectAsGrafanaReader(pg: { port: number; database: string }): Sql {
  return postgres({
    host: "127.0.0.1",
    port: pg.port,
    database: pg.database,
    username: "grafana_reader",
    max: 2,
    onnotice: () => {},
  });
}
