import { join } from "node:path";

/** Reads a file of ./testdata (tests only). */
export function fixture(name: string): Promise<string> {
  return Bun.file(join(import.meta.dir, "testdata", name)).text();
}
