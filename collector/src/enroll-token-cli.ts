import { parseArgs } from "node:util";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { cliFailure, UsageError } from "@infrastructor/shared/cli-errors.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { type EnrollmentEvent, listEnrollmentEvents } from "./enroll/enrollment-events.ts";
import {
  createEnrollmentToken,
  type EnrollmentTokenInfo,
  listEnrollmentTokens,
  revokeEnrollmentToken,
} from "./enroll/enrollment-tokens.ts";

export const ENROLL_TOKEN_USAGE = `usage:
  bun collector/src/cli.ts enroll-token create (--host NAME | --any-host) [--ttl 24h] [--uses 1] [--note TEXT]
      prints a new enrollment token on stdout (shown once; only its hash is stored); --host NAME: only
      that host may enroll with it; --any-host: any host name (a leaked one enrolls anything)
  bun collector/src/cli.ts enroll-token list
  bun collector/src/cli.ts enroll-token revoke <id>
  bun collector/src/cli.ts enroll-token events [--host NAME] [--limit 50]
      enrollment attempts, latest first: enrolled, replaced (earlier key revoked), refused (code)
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
    if (group !== "enroll-token" || !["create", "list", "revoke", "events"].includes(command ?? ""))
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
              "any-host": { type: "boolean", default: false },
              note: { type: "string", default: "" },
            }
          : command === "events"
            ? { host: { type: "string" }, limit: { type: "string", default: "50" } }
            : {},
    });
    const url = env.DATABASE_URL;
    if (url === undefined || url === "") throw new UsageError("DATABASE_URL is not set");
    const handles = connectDatabase(url, 1);
    const { db } = handles;
    try {
      if (command === "list") {
        for (const t of await listEnrollmentTokens(db)) out(describeToken(t));
        return 0;
      }
      if (command === "events") {
        const e = values as { host?: string; limit: string };
        if (!/^\d{1,5}$/.test(e.limit)) throw new UsageError(`--limit must be a number: ${e.limit}`);
        const events = await listEnrollmentEvents(db, {
          ...(e.host === undefined ? {} : { host: e.host }),
          limit: Number(e.limit),
        });
        for (const event of events) out(describeEvent(event));
        return 0;
      }
      if (command === "revoke") {
        const [id, ...extra] = positionals;
        if (id === undefined || extra.length > 0 || !/^\d{1,15}$/.test(id))
          throw new UsageError("revoke takes one token id (see list)");
        out(describeToken(await revokeEnrollmentToken(db, Number(id))));
        return 0;
      }
      const v = values as { ttl: string; uses: string; host?: string; "any-host": boolean; note: string };
      if ((v.host === undefined) === !v["any-host"])
        throw new UsageError("create needs --host NAME (the one host it enrolls) or --any-host, not both");
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
      await handles.close();
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

function describeEvent(e: EnrollmentEvent): string {
  return [
    e.at.toISOString(),
    e.hostname,
    e.outcome,
    ...(e.code === null ? [] : [e.code]),
    `token ${e.token_id ?? "-"}`,
    `from ${e.client || "?"}`,
    ...(e.replace_asked ? ["replace asked"] : []),
  ].join("  ");
}
