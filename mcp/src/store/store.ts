import type { Database, DevicesTable, LatestStateTable } from "@infrastructor/shared/db/database.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Kysely, Selectable } from "kysely";
import { guardDb } from "./db-errors.ts";

export type DeviceRow = Selectable<DevicesTable>;
export type LatestStateRow = Selectable<LatestStateTable>;

/**
 * The MCP server's reads of the registry and the latest-state table. Tools reach history tables
 * through `db` directly (typed by Kysely), wrapped in `guard` so an outage is DB_UNAVAILABLE.
 */
export class Store {
  constructor(readonly db: Kysely<Database>) {}

  guard<T>(what: string, query: () => Promise<T>): Promise<T> {
    return guardDb(what, query);
  }

  listDevices(): Promise<DeviceRow[]> {
    return this.guard("list devices", () =>
      this.db.selectFrom("devices").selectAll().orderBy("hostname").execute(),
    );
  }

  /** A device by its name (case-insensitive); NOT_FOUND names a few known devices to pick from. */
  async device(name: string): Promise<DeviceRow> {
    const hostname = name.toLowerCase();
    const row = await this.guard("find device", () =>
      this.db.selectFrom("devices").selectAll().where("hostname", "=", hostname).executeTakeFirst(),
    );
    if (row !== undefined) return row;
    const known = await this.guard("list devices", () =>
      this.db.selectFrom("devices").select("hostname").orderBy("hostname").limit(20).execute(),
    );
    const list = known.map((d) => d.hostname).join(", ");
    throw new AppError(
      ErrorCode.NOT_FOUND,
      `no device named "${name}"; known devices: ${list || "none yet"}`,
      {
        details: { device: name, known: known.map((d) => d.hostname) },
      },
    );
  }

  /** The newest state of one domain on each of the given devices (absent devices have no row). */
  latest(deviceIds: readonly number[], domain: Domain): Promise<LatestStateRow[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.guard(`latest ${domain}`, () =>
      this.db
        .selectFrom("latest_state")
        .selectAll()
        .where("domain", "=", domain)
        .where("device_id", "in", [...deviceIds])
        .execute(),
    );
  }

  /** Every domain's newest state of one device. */
  allLatest(deviceId: number): Promise<LatestStateRow[]> {
    return this.guard("latest state", () =>
      this.db
        .selectFrom("latest_state")
        .selectAll()
        .where("device_id", "=", deviceId)
        .orderBy("domain")
        .execute(),
    );
  }
}
