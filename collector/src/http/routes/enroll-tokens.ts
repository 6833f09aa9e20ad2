import type { Database } from "@infrastructor/shared/db/database.ts";
import { DurationMsSchema } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { Hono } from "hono";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  createEnrollmentToken,
  listEnrollmentTokens,
  revokeEnrollmentToken,
} from "../../enroll/enrollment-tokens.ts";

const CreateSchema = z.strictObject({
  ttl: DurationMsSchema.default(24 * 3_600_000),
  max_uses: z.number().int().default(1),
  host: z.string().nullable().default(null),
  note: z.string().default(""),
});

/**
 * Enrollment tokens for operators and the SSH deploy (behind the API token): POST creates one (its text
 * is in this answer only), GET lists them without secrets, DELETE /:id revokes one.
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
        host: p.host,
        note: p.note,
      });
      return c.json({ token, ...info }, 201);
    })
    .get("/enroll-tokens", async (c) => c.json({ tokens: await listEnrollmentTokens(db) }))
    .delete("/enroll-tokens/:id", async (c) => {
      const id = c.req.param("id");
      if (!/^\d{1,15}$/.test(id)) throw new AppError(ErrorCode.INVALID_ARGUMENT, "token id must be a number");
      return c.json(await revokeEnrollmentToken(db, Number(id)));
    });
}
