import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { z } from "zod";
import { type ItemsParse, itemError } from "./parse-items.ts";
import { jsonPath } from "./parse-json.ts";

/**
 * The items a schema accepts, and an item error (INVALID_MESSAGE, named) for each it refuses: the
 * hub checks a sample against the domain's schema and refuses it whole, so one item beyond a bound
 * (a name too long, a count out of range) would otherwise cost every item beside it.
 */
export function keepValid<S extends z.ZodType>(
  items: readonly unknown[],
  schema: S,
  name: (item: z.infer<S>) => string | null,
): ItemsParse<z.infer<S>> {
  const out: ItemsParse<z.infer<S>> = { items: [], errors: [] };
  for (const item of items) {
    const checked = schema.safeParse(item);
    if (checked.success) {
      out.items.push(checked.data);
      continue;
    }
    const issue = checked.error.issues[0];
    const at = jsonPath(issue?.path ?? []) || "the item";
    const err = new AppError(ErrorCode.INVALID_MESSAGE, `left out: ${at}: ${issue?.message ?? "invalid"}`);
    out.errors.push(itemError({ name: safeName(name, item), line: null, text: "" }, err));
  }
  return out;
}

function safeName<T>(name: (item: T) => string | null, item: unknown): string | null {
  try {
    return name(item as T);
  } catch {
    return null;
  }
}
