import { parseArgs } from "node:util";
import { cliFailure, UsageError } from "@infrastructor/shared/cli-errors.ts";
import type { Database } from "@infrastructor/shared/db/database.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import {
  createEnrollmentToken,
  type EnrollmentTokenInfo,
  listEnrollmentTokens,
  revokeEnrollmentToken,
} from "./enroll/enrollment-tokens.ts";

export const ENROLL_TOKEN_USAGE = `usage:
  bun collector/src/cli.ts enroll-token create [--ttl 24h] [--uses 1] [--host NAME] [--note TEXT]
      prints a new enrollment token on stdout (shown once; only its hash is stored)
  bun collector/src/cli.ts enroll-token list
  bun collector/src/cli.ts enroll-token revoke <id>
DATABASE_URL names the collector's database.`;

/** Exit 0 done, 1 failed (`CODE: message` on stderr), 2 usage error. */
export async function enrollTokenCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  try {
    const [group, command, ...rest] = argv;
    if (group !== "enroll-token" || !["create", "list", "revoke"].includes(command ?? ""))
      throw new UsageError(`unknown command: ${[group, command].filter(Boolean).join(" ") || "(none)"}`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: command === "revoke",
      strict: true,
      options:
        command === "create"
          ? {
              ttl: { type: "string", default: "24h" },
              uses: { type: "string", default: "1" },
              host: { type: "string" },
              note: { type: "string", default: "" },
            }
          : {},
    });
    const url = env.DATABASE_URL;
    if (url === undefined || url === "") throw new UsageError("DATABASE_URL is not set");
    const sql = postgres(url, { max: 1, connect_timeout: 10, onnotice: () => undefined });
    const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
    try {
      if (command === "list") {
        for (const t of await listEnrollmentTokens(db)) out(describeToken(t));
        return 0;
      }
      if (command === "revoke") {
        const [id, ...extra] = positionals;
        if (id === undefined || extra.length > 0 || !/^\d{1,15}$/.test(id))
          throw new UsageError("revoke takes one token id (see list)");
        out(describeToken(await revokeEnrollmentToken(db, Number(id))));
        return 0;
      }
      const v = values as { ttl: string; uses: string; host?: string; note: string };
      const ttlMs = parseDurationMs(v.ttl);
      if (ttlMs === null) throw new UsageError(`--ttl is not a duration: ${v.ttl} (e.g. 30m, 24h, 7d)`);
      if (!/^\d{1,6}$/.test(v.uses)) throw new UsageError(`--uses must be a number: ${v.uses}`);
      const { token, info } = await createEnrollmentToken(db, {
        ttlMs,
        maxUses: Number(v.uses),
        host: v.host ?? null,
        note: v.note,
      });
      out(token);
      err(describeToken(info));
      return 0;
    } finally {
      await db.destroy();
    }
  } catch (e) {
    return cliFailure(e, ENROLL_TOKEN_USAGE, err);
  }
}

function describeToken(t: EnrollmentTokenInfo): string {
  return [
    `token ${t.id}`,
    t.state,
    `${t.uses}/${t.max_uses} used`,
    `expires ${t.expires_at.toISOString()}`,
    `host ${t.host ?? "any"}`,
    ...(t.last_used_host === null ? [] : [`last used by ${t.last_used_host}`]),
    ...(t.note === "" ? [] : [JSON.stringify(t.note)]),
  ].join("  ");
}
