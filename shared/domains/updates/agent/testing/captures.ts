import { readFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Reads a capture of this collector (found from this file, not from the working directory): a
 * `<case>/<file>` of testcases/, or a bare name of testdata/ (reboot-required.pkgs, which no parser reads).
 */
export async function testdata(name: string): Promise<string> {
  return await readFile(
    join(import.meta.dir, "..", name.includes("/") ? "testcases" : "testdata", name),
    "utf8",
  );
}
