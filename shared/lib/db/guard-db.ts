import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { classifyDbError } from "./classify-db-error.ts";

/** Runs a query; an unreachable database becomes DB_UNAVAILABLE (a tool result, never a crash). */
export async function guardDb<T>(what: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (classifyDbError(err) === "unavailable") {
      throw new AppError(ErrorCode.DB_UNAVAILABLE, `the database is unreachable (${what})`, { cause: err });
    }
    throw toAppError(err, ErrorCode.INTERNAL);
  }
}
