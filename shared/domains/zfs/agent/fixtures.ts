import { join } from "node:path";

/** Test support: a file of testdata/ as text. */
export function fixture(name: string): Promise<string> {
  return Bun.file(join(import.meta.dir, "testdata", name)).text();
}

/**
 * zpool-status-exporter's inputs start with its harness line `TEST_TIMESTAMP=<epoch>`, which zpool
 * never prints: the capture proper starts on line 2.
 */
export async function zpoolStatusExporterCapture(name: string): Promise<string> {
  const text = await fixture(`zpool-status-exporter__${name}.txt`);
  if (!text.startsWith("TEST_TIMESTAMP=")) throw new Error(`${name}: no harness line`);
  return text.slice(text.indexOf("\n") + 1);
}
