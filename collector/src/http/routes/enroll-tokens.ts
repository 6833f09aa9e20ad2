import type { Database } from "@infrastructor/lib/db/database.ts";
import { DurationMsSchema } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { Hono } from "hono";
import type { Kysely } from "kysely";
import { z } from "zod";
import { listEnrollmentEvents } from "../../enroll/enrollment-events.ts";
import {
  createEnrollmentToken,
  listEnrollmentTokens,
  revokeEnrollmentToken,
} from "../../enroll/enrollment-tokens.ts";

const CreateSchema = z
  .strictObject({
    ttl: DurationMsSchema.default(24 * 3_600_000),
    max_uses: z.number().int().default(1),
    /** The one host the token enrolls; or any_host: true, asked for explicitly. */
    host: z.string().optional(),
    any_host: z.literal(true).optional(),
    note: z.string().default(""),
  })
  .refine((b) => (b.host === undefined) !== (b.any_host === undefined), {
    message: "give host (the one host this token may enroll) or any_host: true, not both",
  });

const EventsQuerySchema = z.strictObject({
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be a host name")
    .optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/**
 * Enrollment tokens for operators and the SSH deploy (behind the API token): POST creates one (its text
 * is in this answer only) for one host or, explicitly, any host; GET lists them without secrets,
 * DELETE /:id revokes one. GET /enroll-events lists enrollment attempts, latest first (?host=, ?limit=).
 */
export function enrollTokenRoutes(db: Kysely<Database>): Hono {
  return new Hono()
    .post("/enroll-tokens", async (c) => {
      const text = await c.req.text();
      let body: unknown = {};
      try {
        if (text.trim() !== "") body = JSON.parse(text);
      } catch {
        throw new AppError(
          ErrorCode.INVALID_ARGUMENT,
          "the token request must be JSON (or empty for defaults)",
        );
      }
      const parsed = CreateSchema.safeParse(body);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);
        throw new AppError(ErrorCode.INVALID_ARGUMENT, `invalid token request: ${problems.join("; ")}`);
      }
      const p = parsed.data;
      const { token, info } = await createEnrollmentToken(db, {
        ttlMs: p.ttl,
        maxUses: p.max_uses,
        host: p.host ?? null,
        note: p.note,
      });
      return c.json({ token, ...info }, 201);
    })
    .get("/enroll-tokens", async (c) => c.json({ tokens: await listEnrollmentTokens(db) }))
    .get("/enroll-events", async (c) => {
      const parsed = EventsQuerySchema.safeParse(c.req.query());
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`);
        throw new AppError(ErrorCode.INVALID_ARGUMENT, `invalid events query: ${problems.join("; ")}`);
      }
      return c.json({ events: await listEnrollmentEvents(db, parsed.data) });
    })
    .delete("/enroll-tokens/:id", async (c) => {
      const id = c.req.param("id");
      if (!/^\d{1,15}$/.test(id)) throw new AppError(ErrorCode.INVALID_ARGUMENT, "token id must be a number");
      return c.json(await revokeEnrollmentToken(db, Number(id)));
    });
}
