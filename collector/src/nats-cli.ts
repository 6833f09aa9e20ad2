import { chmod, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { cliFailure, UsageError } from "@infrastructor/shared/cli-errors.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { runMigrations } from "../../sql/src/migrate.ts";
import { loadNatsAdminConfig, type NatsAdminConfig } from "./nats-auth/admin-config.ts";
import { AUTH_FILES } from "./nats-auth/auth-files.ts";
import { HostCredentials } from "./nats-auth/host-credentials.ts";
import { initNatsAuth } from "./nats-auth/init-nats-auth.ts";
import { loadNatsAuth } from "./nats-auth/load-nats-auth.ts";
import { upgradeNatsAuth } from "./nats-auth/upgrade-nats-auth.ts";

export const NATS_USAGE = `usage:
  bun collector/src/cli.ts nats init [--dir DIR] [--resolver-dir DIR]
      create the operator, accounts and seeds in DIR (default NATS_AUTH_DIR), once; prints what to do next
  bun collector/src/cli.ts nats upgrade [--dir DIR]
      move a directory made before hosts had their own account to the current layout (nothing to do
      if it is current); hosts issued before must be issued again (deploy/README.md)
  bun collector/src/cli.ts nats issue <host> [--out FILE]
      mint credentials that may publish only infra.v1.<host>.> (replacing the host's earlier ones);
      the .creds text goes to FILE (mode 0600) or stdout
  bun collector/src/cli.ts nats revoke <host>
      lock the host out: refused from now on, its open connection closed
  bun collector/src/cli.ts nats list
      every key issued: live, revoked, or refused-old-layout (issued before \`nats upgrade\`)
Environment: NATS_AUTH_DIR (the init directory), DATABASE_URL, NATS_URL.`;

/** Exit 0 done, 1 failed (`CODE: message` on stderr), 2 usage error. */
export async function natsCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  try {
    const [group, command, ...rest] = argv;
    if (group !== "nats") throw new UsageError(`unknown command: ${group ?? "(none)"}`);
    const config = loadNatsAdminConfig(env);
    if (command === "init") return await init(rest, config, out);
    if (command === "upgrade") return await upgrade(rest, config, out);
    if (command === "issue" || command === "revoke" || command === "list") {
      return await withCredentials(config, (credentials) => run(command, rest, credentials, out));
    }
    throw new UsageError(`unknown nats command: ${command ?? "(none)"}`);
  } catch (e) {
    return cliFailure(e, NATS_USAGE, err);
  }
}

async function init(args: string[], config: NatsAdminConfig, out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dir: { type: "string" }, "resolver-dir": { type: "string" } },
    strict: true,
  });
  const dir = values.dir ?? config.authDir;
  if (dir === undefined) throw new UsageError("nats init needs --dir or NATS_AUTH_DIR");
  const state = await initNatsAuth(dir, { resolverDir: values["resolver-dir"] });
  out(`operator ${state.operator.public_key}, accounts INFRA ${state.infra_account.public_key} and HOSTS ${state.hosts_account.public_key} in ${dir}
next:
  nats-server: include ${dir}/${AUTH_FILES.serverConfig} (or -c it), with JetStream on
  collector:   NATS_AUTH_DIR=${dir} NATS_CREDS=${dir}/${AUTH_FILES.collectorCreds}
  a host:      bun collector/src/cli.ts nats issue <host> --out <host>.creds, then nats.creds_file in its agent.json
keep ${AUTH_FILES.operatorSeed} and the *-account.nk seeds offline if you like: only the signing seeds are used`);
  return 0;
}

async function upgrade(
  args: string[],
  config: NatsAdminConfig,
  out: (line: string) => void,
): Promise<number> {
  const { values } = parseArgs({ args, options: { dir: { type: "string" } }, strict: true });
  const dir = values.dir ?? config.authDir;
  if (dir === undefined) throw new UsageError("nats upgrade needs --dir or NATS_AUTH_DIR");
  const { state, upgraded } = await upgradeNatsAuth(dir);
  if (!upgraded) {
    out(`${dir} is the current layout (hosts in HOSTS ${state.hosts_account.public_key}); nothing changed`);
    return 0;
  }
  out(`upgraded ${dir}: hosts now get users in HOSTS ${state.hosts_account.public_key}; INFRA has a new signing key
next:
  restart nats-server (it reads the new ${AUTH_FILES.serverConfig}), then the collector (it pushes both accounts)
  every host issued before is refused from then on: re-enroll each (or nats issue <host> and copy its .creds)
  \`nats list\` marks them refused-old-layout until then`);
  return 0;
}

async function withCredentials(
  config: NatsAdminConfig,
  action: (credentials: HostCredentials) => Promise<number>,
): Promise<number> {
  if (config.authDir === undefined) throw new UsageError("NATS_AUTH_DIR is not set");
  const auth = await loadNatsAuth(config.authDir);
  const handles = connectDatabase(config.databaseUrl, 2);
  try {
    // The table may not exist yet when no collector has started on this database.
    const migrated = await runMigrations(handles.sql, { flavor: "auto" });
    if (migrated.error) throw migrated.error;
    return await action(
      new HostCredentials({ db: handles.db, auth, natsUrl: config.natsUrl, natsCaFile: config.natsCaFile }),
    );
  } finally {
    await handles.close();
  }
}

async function run(
  command: "issue" | "revoke" | "list",
  args: string[],
  credentials: HostCredentials,
  out: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (command === "list") {
    for (const row of await credentials.listHostCredentials()) {
      const state = row.revoked_at === null ? row.status : `revoked ${row.revoked_at.toISOString()}`;
      out(`${row.hostname}\t${row.user_public_key}\tissued ${row.issued_at.toISOString()}\t${state}`);
    }
    return 0;
  }
  const [host, ...extra] = positionals;
  if (host === undefined || extra.length > 0) throw new UsageError(`nats ${command} takes one host`);
  if (command === "revoke") {
    const { revoked } = await credentials.revokeHost(host);
    out(
      revoked.length === 0
        ? `${host} was already revoked (pushed again)`
        : `revoked ${host}: ${revoked.join(", ")}`,
    );
    return 0;
  }
  const issued = await credentials.issueHostCredentials(host);
  if (values.out === undefined) {
    out(issued.creds);
  } else {
    const file = values.out;
    try {
      await writeFile(file, issued.creds, { mode: 0o600 });
      await chmod(file, 0o600); // writeFile's mode applies only to a file it creates
    } catch (e) {
      throw new AppError(
        ErrorCode.INTERNAL,
        `issued ${issued.user_public_key} but cannot write ${file}: ${(e as Error).message}; issue again`,
        { cause: e },
      );
    }
    out(`issued ${host}: ${issued.user_public_key} -> ${values.out}`);
  }
  return 0;
}
