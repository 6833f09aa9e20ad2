import { run } from "./pg-cluster.ts";

/** How to reach a cluster's superuser: psql over the unix socket, as the account that runs the server. */
export interface PgAdmin {
  psql: string;
  socketDir: string;
  port: number;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
// The statements are constants: names and the password reach psql as variables and are quoted by the
// server (format %I / %L); the password comes through the environment, never argv (world-readable).
const APP_ROLE_SQL = `\\getenv password INFRA_ROLE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec
SELECT format(
  'ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
  :'role', :'password') \\gexec
`;
const DATABASE_SQL = `SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \\gexec
`;

/**
 * The application's role: it logs in with a password, and is no superuser, cannot create roles or
 * databases, replicate or bypass row security (so no COPY TO PROGRAM, no server file access). Its
 * password is set on every call, so the role always matches the password file.
 */
export async function ensureAppRole(admin: PgAdmin, role: string, password: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new Error(`not a role name: ${role}`);
  await psql(admin, ["-v", `role=${role}`], APP_ROLE_SQL, { INFRA_ROLE_PASSWORD: password });
}

/** A database owned by `role`: on PostgreSQL 15+ its public schema belongs to the owner, so migrations run as it. */
export async function ensureDatabase(admin: PgAdmin, db: string, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new Error(`not a role name: ${role}`);
  if (!/^[A-Za-z0-9_]{1,63}$/.test(db)) throw new Error(`not a database name: ${db}`);
  await psql(admin, ["-v", `role=${role}`, "-v", `db=${db}`], DATABASE_SQL, {});
}

async function psql(admin: PgAdmin, vars: string[], sql: string, env: Record<string, string>): Promise<void> {
  await run(
    [
      admin.psql,
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      admin.socketDir,
      "-p",
      String(admin.port),
      "-d",
      "postgres",
      ...vars,
    ],
    { input: sql, env },
  );
}
