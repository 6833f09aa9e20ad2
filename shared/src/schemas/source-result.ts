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

export type SourceResult<T> = { ok: true; value: T } | { ok: false; error: SourceError };

export function sourceResultSchema<S extends z.ZodType>(
  value: S,
): z.ZodDiscriminatedUnion<
  [
    z.ZodObject<{ ok: z.ZodLiteral<true>; value: S }>,
    z.ZodObject<{ ok: z.ZodLiteral<false>; error: typeof SourceErrorSchema }>,
  ]
> {
  return z.discriminatedUnion("ok", [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: SourceErrorSchema }),
  ]);
}
