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
 * One item of a source (a pool, a drive, a container, a log entry, a package line) that could not be
 * read, beside the items that could: `name` when the item's name itself was readable, `line` the 1-based
 * line of the source's output where it starts (null for non-line sources such as JSON), `excerpt` the
 * offending text cut to 200 characters. A list carries at most MAX_ITEM_ERRORS of them;
 * `item_errors_dropped` counts the rest.
 */
export const ItemErrorSchema = z.object({
  name: z.string().max(1024).nullable(),
  error: z.object({
    code: SourceErrorSchema.shape.code,
    message: SourceErrorSchema.shape.message,
    line: z.number().int().positive().nullable(),
    excerpt: z.string().max(200).nullable(),
  }),
});
export type ItemError = z.infer<typeof ItemErrorSchema>;
export const MAX_ITEM_ERRORS = 64;

/**
 * `truncated`: a list value holds only its first items; this many more were left out so that the
 * message stays under the NATS max_payload (lists that local users or the LAN can grow: sockets,
 * neighbours, mounts...). Absent when nothing was left out, and in messages of older agents.
 */
export type SourceResult<T> =
  | { ok: true; value: T; truncated?: number; item_errors?: ItemError[]; item_errors_dropped?: number }
  | { ok: false; error: SourceError };

export const TruncatedSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function sourceResultSchema<S extends z.ZodType>(
  value: S,
): z.ZodDiscriminatedUnion<
  [
    z.ZodObject<{
      ok: z.ZodLiteral<true>;
      value: S;
      truncated: z.ZodOptional<typeof TruncatedSchema>;
      item_errors: z.ZodOptional<z.ZodArray<typeof ItemErrorSchema>>;
      item_errors_dropped: z.ZodOptional<typeof TruncatedSchema>;
    }>,
    z.ZodObject<{ ok: z.ZodLiteral<false>; error: typeof SourceErrorSchema }>,
  ]
> {
  return z.discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      value,
      truncated: TruncatedSchema.optional(),
      item_errors: z.array(ItemErrorSchema).max(MAX_ITEM_ERRORS).optional(),
      item_errors_dropped: TruncatedSchema.optional(),
    }),
    z.object({ ok: z.literal(false), error: SourceErrorSchema }),
  ]);
}
