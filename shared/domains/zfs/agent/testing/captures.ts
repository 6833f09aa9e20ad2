import { join } from "node:path";

/** Test support: one input of testcases/ as text, named `<case>/<file>` (e.g. `jc-spares/zpool-status.txt`). */
export function fixture(path: string): Promise<string> {
  return Bun.file(join(import.meta.dir, "..", "testcases", path)).text();
}

/**
 * zpool-status-exporter's inputs start with its harness line `TEST_TIMESTAMP=<epoch>`, which zpool
 * never prints: the capture proper starts on line 2. `name` is the repository's input name
 * (`DEGRADED_unavail_disk`), its case folder `zpool-status-exporter-degraded-unavail-disk`.
 */
export async function zpoolStatusExporterCapture(name: string): Promise<string> {
  const text = await fixture(
    `zpool-status-exporter-${name.toLowerCase().replaceAll("_", "-")}/zpool-status.txt`,
  );
  if (!text.startsWith("TEST_TIMESTAMP=")) throw new Error(`${name}: no harness line`);
  return text.slice(text.indexOf("\n") + 1);
}
