import type { Database } from "@infrastructor/lib/db/database.ts";
import type { Kysely } from "kysely";

export type EnrollmentOutcome = "enrolled" | "replaced" | "refused";

/** One enrollment attempt as recorded and listed (enrollment_events). */
export interface EnrollmentEvent {
  id: number;
  at: Date;
  hostname: string;
  outcome: EnrollmentOutcome;
  /** The refusal's error code; null when enrolled. */
  code: string | null;
  token_id: number | null;
  client: string;
  replace_asked: boolean;
}

export type NewEnrollmentEvent = Omit<EnrollmentEvent, "id" | "at">;

/** Client addresses are stored as the server gave them, bounded to the column's width. */
const CLIENT_MAX = 64;

export async function recordEnrollmentEvent(db: Kysely<Database>, event: NewEnrollmentEvent): Promise<void> {
  await db
    .insertInto("enrollment_events")
    .values({ ...event, client: event.client.slice(0, CLIENT_MAX) })
    .execute();
}

/** The latest events first; `host` narrows to one host name. */
export async function listEnrollmentEvents(
  db: Kysely<Database>,
  options: { host?: string; limit?: number } = {},
): Promise<EnrollmentEvent[]> {
  let query = db.selectFrom("enrollment_events").selectAll();
  if (options.host !== undefined) query = query.where("hostname", "=", options.host);
  return await query
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(Math.max(options.limit ?? 100, 1), 10_000))
    .execute();
}
