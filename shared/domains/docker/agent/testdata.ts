import { readCaseInput } from "@infrastructor/lib/testing/walk-testcases.ts";

/** Reads one Engine API body of ./testcases, named `<case>/<file>` (tests only). */
export async function fixture(path: string): Promise<string> {
  return readCaseInput(import.meta.dir, path);
}
