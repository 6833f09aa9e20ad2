import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Reads a file of this collector's testdata/ (found from this file, not from the working directory). */
export async function testdata(name: string): Promise<string> {
  return await readFile(join(import.meta.dir, "testdata", name), "utf8");
}
