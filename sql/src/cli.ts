import postgres from "postgres";
import { isFlavorOption } from "./flavor.ts";
import { runMigrations } from "./migrate.ts";

/**
 * `bun sql/src/cli.ts [--flavor=auto|timescaledb|postgres]` (package script `migrate`): applies the
 * pending migrations to DATABASE_URL and prints each one. Exit 1 with `CODE: message` on any failure.
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const url = env.DATABASE_URL;
  if (url === undefined || url === "") {
    err("CONFIG_INVALID: DATABASE_URL is not set (postgres://user@host:port/database)");
    return 1;
  }
  const flavorArg = argv.find((a) => a.startsWith("--flavor="))?.slice("--flavor=".length) ?? "auto";
  const unknown = argv.filter((a) => !a.startsWith("--flavor="));
  if (!isFlavorOption(flavorArg) || unknown.length > 0) {
    err("CONFIG_INVALID: usage: migrate [--flavor=auto|timescaledb|postgres]");
    return 1;
  }
  // Notices ("relation already exists, skipping", TimescaleDB's banner) are noise here.
  const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => undefined });
  let endTimeoutS = 5;
  try {
    const outcome = await runMigrations(sql, { flavor: flavorArg });
    for (const r of outcome.results.filter((r) => r.status === "applied"))
      out(`applied ${r.id} (${r.flavor})`);
    if (outcome.error !== undefined) {
      // Nothing is in flight after a failed run. A session the server ended would make a graceful end
      // wait the whole timeout (postgres.js keeps the dead connection's last query as pending).
      endTimeoutS = 0;
      err(`${outcome.error.code}: ${outcome.error.message}`);
      return 1;
    }
    const applied = outcome.results.filter((r) => r.status === "applied").length;
    const skipped = outcome.results.length - applied;
    out(`${outcome.flavor} database: ${applied} applied, ${skipped} already applied`);
    return 0;
  } finally {
    await sql.end({ timeout: endTimeoutS });
  }
}

if (import.meta.main) {
  process.exitCode = await main(
    process.argv.slice(2),
    process.env,
    (line) => console.log(line),
    (line) => console.error(line),
  );
}
