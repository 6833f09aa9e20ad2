import { z } from "zod";

/**
 * One source of a domain (one command, one file) either produced its value or failed; a failure is
 * data beside the other sources' values, so one broken command never hides what the others saw.
 */
export const SourceErrorSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/),
  message: z.string().max(1000),
});
export type SourceError = z.infer<typeof SourceErrorSchema>;

/**
 * `truncated`: a list value holds only its first items; this many more were left out so that the
 * message stays under the NATS max_payload (lists that local users or the LAN can grow: sockets,
 * neighbours, mounts...). Absent when nothing was left out, and in messages of older agents.
 */
export type SourceResult<T> = { ok: true; value: T; truncated?: number } | { ok: false; error: SourceError };

export const TruncatedSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function sourceResultSchema<S extends z.ZodType>(
  value: S,
): z.ZodDiscriminatedUnion<
  [
    z.ZodObject<{ ok: z.ZodLiteral<true>; value: S; truncated: z.ZodOptional<typeof TruncatedSchema> }>,
    z.ZodObject<{ ok: z.ZodLiteral<false>; error: typeof SourceErrorSchema }>,
  ]
> {
  return z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), value, truncated: TruncatedSchema.optional() }),
    z.object({ ok: z.literal(false), error: SourceErrorSchema }),
  ]);
}
