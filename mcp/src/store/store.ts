import type { Database, DevicesTable, LatestStateTable } from "@infrastructor/shared/db/database.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import { guardDb } from "./db-errors.ts";

export type DeviceRow = Selectable<DevicesTable>;
export type LatestStateRow = Selectable<LatestStateTable>;
/** A latest_state row without its payload: what a tool reading the domain's own tables needs. */
export type LatestStatusRow = Omit<LatestStateRow, "payload"> & { has_payload: boolean };

/** latest_state's columns but the payload. */
const STATE_COLUMNS = [
  "device_id",
  "domain",
  "collected_at",
  "received_at",
  "boot_id",
  "seq",
  "errors",
  "status",
  "status_at",
] as const;

/**
 * Whether a row holds a payload. A domain that never succeeded stores JSON null (latest-state.ts); an
 * `ok` row always has a payload. Comparing a 70 KiB docker payload to null detoasts it, so only failed
 * rows do.
 */
const HAS_PAYLOAD = sql<boolean>`CASE status WHEN 'ok' THEN true WHEN 'failed' THEN payload <> 'null'::jsonb ELSE false END`;

/** The payload, or with `only` just those top-level keys of it. */
function projection(only: readonly string[] | null): RawBuilder<unknown> {
  if (only === null) return sql<unknown>`payload`;
  return sql<unknown>`CASE WHEN jsonb_typeof(payload) = 'object' THEN jsonb_build_object(${sql.join(
    only.map((key) => sql`${key}::text, payload -> ${key}::text`),
  )}) ELSE payload END`;
}

/**
 * The projection where `when` holds, wrapped in a one-element array; else SQL NULL. Unwrapped by
 * unwrap(): SQL NULL (not sent) and JSON null (never collected) must not look alike.
 */
function wrapped(only: readonly string[] | null, when: RawBuilder<boolean>): RawBuilder<unknown> {
  return sql<unknown>`CASE WHEN coalesce(${when}, false) THEN jsonb_build_array(${projection(only)}) END`;
}

function unwrap(row: LatestStatusRow & { payload: unknown }): LatestStateRow | LatestStatusRow {
  const { payload: sent, has_payload, ...rest } = row;
  return Array.isArray(sent) ? { ...rest, payload: sent[0] } : { ...rest, has_payload };
}

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

  /**
   * The newest state of one domain on each of the given devices (absent devices have no row). With
   * `only`, the payload keeps just those top-level keys: PostgreSQL drops the rest before it is sent
   * and parsed (a fleet-wide check reads zfs pools, not 200 devices' snapshot lists). With `when`, a
   * payload is sent only where that predicate on it holds; the other rows come as latestStatus rows
   * (no payload key, has_payload): the fleet health check reads only the devices its rules could
   * flag. (Turning a payload into JSON text is most of such a read: the predicate alone is cheap.)
   */
  async latest(
    deviceIds: readonly number[],
    domain: Domain,
    only: readonly string[] | null = null,
    when: RawBuilder<boolean> | null = null,
  ): Promise<(LatestStateRow | LatestStatusRow)[]> {
    if (deviceIds.length === 0) return [];
    if (when === null) {
      return this.guard(`latest ${domain}`, () =>
        this.db
          .selectFrom("latest_state")
          .select([...STATE_COLUMNS, projection(only).as("payload")])
          .where("domain", "=", domain)
          .where("device_id", "in", [...deviceIds])
          .execute(),
      );
    }
    return this.latestOfDomains(deviceIds, new Map([[domain, { only, when }]]));
  }

  /**
   * latest() of several domains in one query, each with its own load: `null` sends no payload (a
   * latestStatus row), else the projection and predicate of latest(). One round trip instead of one
   * per domain: on the fleet health check the queries' own overhead was most of its reads.
   */
  async latestOfDomains(
    deviceIds: readonly number[],
    loads: ReadonlyMap<Domain, { only: readonly string[] | null; when: RawBuilder<boolean> | null } | null>,
  ): Promise<(LatestStateRow | LatestStatusRow)[]> {
    if (deviceIds.length === 0 || loads.size === 0) return [];
    const sent = [...loads].flatMap(([domain, load]) =>
      load === null ? [] : [sql`WHEN ${domain}::text THEN ${wrapped(load.only, load.when ?? sql`true`)}`],
    );
    const payload =
      sent.length === 0 ? sql<unknown>`NULL::jsonb` : sql<unknown>`CASE domain ${sql.join(sent, sql` `)} END`;
    const rows = await this.guard(`latest ${[...loads.keys()].join(", ")}`, () =>
      this.db
        .selectFrom("latest_state")
        .select([...STATE_COLUMNS, HAS_PAYLOAD.as("has_payload"), payload.as("payload")])
        .where("domain", "in", [...loads.keys()])
        .where("device_id", "in", [...deviceIds])
        .execute(),
    );
    return rows.map(unwrap);
  }

  /**
   * latest() without the payloads: the status, times and errors of one domain on each device, and
   * whether a payload is stored. Fleet-wide tools read their rows from the domain's tables instead of
   * parsing 200 payloads of 10,000 containers (bench/mcp: 70 ms -> a few ms).
   */
  latestStatus(deviceIds: readonly number[], domain: Domain): Promise<LatestStatusRow[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.guard(`latest ${domain} status`, () =>
      this.db
        .selectFrom("latest_state")
        .select([...STATE_COLUMNS, HAS_PAYLOAD.as("has_payload")])
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
