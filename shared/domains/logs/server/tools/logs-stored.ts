import type { Database } from "@infrastructor/lib/db/database.ts";
import type { Page } from "@infrastructor/mcp/answer/paginate.ts";
import type { Store } from "@infrastructor/mcp/store/store.ts";
import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import { type PriorityName, priorityNumber } from "../../agent/priority.ts";
import { type LogLine, priorityName, toLogLine } from "./log-lines.ts";

export interface StoredLogQuery {
  deviceId: number;
  since: Date;
  priority?: PriorityName | undefined;
  search?: string | undefined;
  limit: number;
  offset: number;
}

export interface StoredLogs {
  total: number;
  byPriority: Record<string, number>;
  topSources: { name: string; count: number }[];
  lines: LogLine[];
  page: Page;
}

type LogsQuery = SelectQueryBuilder<Database, "logs", object>;

/**
 * Entries of the logs table, newest first, one page of them, with the counts of the whole match. The
 * text search uses the table's full-text index (`to_tsvector('simple', message)`, websearch syntax).
 */
export async function readStoredLogs(store: Store, q: StoredLogQuery): Promise<StoredLogs> {
  const base = (db: Kysely<Database>): LogsQuery => {
    let query = db
      .selectFrom("logs")
      .where("device_id", "=", q.deviceId)
      .where("time", ">=", q.since) as LogsQuery;
    if (q.priority !== undefined) query = query.where("priority", "<=", priorityNumber(q.priority));
    if (q.search !== undefined) {
      query = query.where(
        sql<boolean>`to_tsvector('simple', message) @@ websearch_to_tsquery('simple', ${q.search})`,
      );
    }
    return query;
  };
  const [counts, sources, rows] = await store.guard("read logs", () =>
    Promise.all([
      base(store.db)
        .select(["priority", sql<number>`count(*)::int`.as("n")])
        .groupBy("priority")
        .execute(),
      base(store.db)
        .select([
          sql<string>`coalesce(nullif(unit, ''), nullif(identifier, ''), '?')`.as("name"),
          sql<number>`count(*)::int`.as("n"),
        ])
        .groupBy(sql`1`)
        .orderBy(sql`2`, "desc")
        .orderBy(sql`1`)
        .limit(5)
        .execute(),
      base(store.db)
        .select(["time", "priority", "unit", "identifier", "pid", "hostname", "message"])
        .orderBy("time", "desc")
        .orderBy("entry_id", "desc")
        .limit(q.limit)
        .offset(q.offset)
        .execute(),
    ]),
  );
  const total = counts.reduce((sum, c) => sum + c.n, 0);
  const byPriority: Record<string, number> = {};
  for (const c of counts) byPriority[priorityName(c.priority) ?? "unknown"] = c.n;
  const end = q.offset + rows.length;
  return {
    total,
    byPriority,
    topSources: sources.map((s) => ({ name: s.name, count: s.n })),
    lines: rows.map((r) => toLogLine(r)),
    page: {
      total,
      offset: q.offset,
      limit: q.limit,
      returned: rows.length,
      next_offset: end < total ? end : null,
    },
  };
}
