import { AppError } from "@infrastructor/shared/errors.ts";

/** For tests: the AppError `run` throws (anything else, or nothing, fails the test). */
export function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError, nothing was thrown");
}
