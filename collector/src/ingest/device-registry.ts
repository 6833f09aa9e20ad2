import type { Sql } from "postgres";

/**
 * hostname -> devices.id, created on first sight. Cached: ids never change while a device exists.
 * Resolved outside the batch transaction so a rolled-back batch never leaves a cached id that does
 * not exist.
 */
export class DeviceRegistry {
  private readonly ids = new Map<string, number>();

  constructor(private readonly sql: Sql) {}

  async resolve(hostnames: Iterable<string>): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    const missing: string[] = [];
    for (const hostname of new Set(hostnames)) {
      const id = this.ids.get(hostname);
      if (id === undefined) missing.push(hostname);
      else result.set(hostname, id);
    }
    if (missing.length > 0) {
      missing.sort(); // one lock order for concurrent writers
      const rows = await this.sql<{ id: number; hostname: string }[]>`
        INSERT INTO devices (hostname) SELECT * FROM unnest(${missing}::text[])
        ON CONFLICT (hostname) DO UPDATE SET hostname = EXCLUDED.hostname
        RETURNING id, hostname`;
      for (const row of rows) {
        this.ids.set(row.hostname, row.id);
        result.set(row.hostname, row.id);
      }
    }
    return result;
  }

  /** Whether this process has resolved the host: it stored data from it (or enrolled it). */
  knows(hostname: string): boolean {
    return this.ids.has(hostname);
  }

  forget(hostname: string): void {
    this.ids.delete(hostname);
  }
}
