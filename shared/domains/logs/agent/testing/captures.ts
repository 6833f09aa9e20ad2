import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Reads a capture of this collector (found from this file, not from the working directory): a
 * `<case>/<file>` of testcases/, or a bare name of testdata/ (the binary journal, which no parser reads).
 */
export async function testdata(name: string): Promise<string> {
  return await readFile(
    join(import.meta.dir, "..", name.includes("/") ? "testcases" : "testdata", name),
    "utf8",
  );
}

/** Machine id of the captured journal (testdata/PROVENANCE.md): its directory name under the journal dir. */
export const CAPTURED_MACHINE_ID = "0123456789abcdef0123456789abcdef";

/**
 * Puts the real journal file captured with binary fields (testdata/PROVENANCE.md) where journald
 * keeps it under `hostRoot` (var/log/journal/<machine id>/system.journal), for the real journalctl.
 */
export async function unpackCapturedJournal(hostRoot: string): Promise<void> {
  const gz = await readFile(
    join(import.meta.dir, "..", "testdata", "local__journald252_binary_fields.journal.gz"),
  );
  const dir = join(hostRoot, "var/log/journal", CAPTURED_MACHINE_ID);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "system.journal"), Bun.gunzipSync(new Uint8Array(gz)));
}
