import { join } from "node:path";

/** Reads one Engine API body of ./testcases, named `<case>/<file>` (tests only). */
export function fixture(path: string): Promise<string> {
  return Bun.file(join(import.meta.dir, "..", "testcases", path)).text();
}
