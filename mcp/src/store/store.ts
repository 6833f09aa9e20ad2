import type { Database } from "@infrastructor/lib/db/database.ts";
import { guardDb } from "@infrastructor/lib/db/guard-db.ts";
import { unknownDevice } from "@infrastructor/lib/db/unknown-device.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";

export type DeviceRow = Selectable<Database["devices"]>;
export type LatestStateRow = Selectable<Database["latest_state"]>;
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

/** How one domain's payloads are read: none (a status row), or a projection, maybe only where `when` holds. */
export type PayloadLoad = { only: readonly string[] | null; when: RawBuilder<boolean> | null } | null;

/**
 * The payload column for one load. With `when`, a sent payload is wrapped in a one-element array and
 * one not sent is SQL NULL: SQL NULL (not sent) and JSON null (never collected) must not look alike.
 */
function payloadFor(load: NonNullable<PayloadLoad>): RawBuilder<unknown> {
  if (load.when === null) return projection(load.only);
  return sql<unknown>`CASE WHEN coalesce(${load.when}, false) THEN jsonb_build_array(${projection(load.only)}) END`;
}

/** A row as its domain's load asked: a status row (has_payload), or with its payload. */
function asLoaded(
  row: LatestStatusRow & { payload: unknown },
  load: PayloadLoad | undefined,
): LatestStateRow | LatestStatusRow {
  const { payload, has_payload, ...rest } = row;
  if (load === null || load === undefined) return { ...rest, has_payload };
  if (load.when === null) return { ...rest, payload };
  return Array.isArray(payload) ? { ...rest, payload: payload[0] } : { ...rest, has_payload };
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

  /** A device by its name (case-insensitive); NOT_FOUND suggests the closest names (unknownDevice). */
  async device(name: string): Promise<DeviceRow> {
    const hostname = name.toLowerCase();
    const row = await this.guard("find device", () =>
      this.db.selectFrom("devices").selectAll().where("hostname", "=", hostname).executeTakeFirst(),
    );
    if (row !== undefined) return row;
    const known = await this.guard("list devices", () =>
      this.db.selectFrom("devices").select("hostname").orderBy("hostname").execute(),
    );
    throw unknownDevice(
      name,
      known.map((d) => d.hostname),
    );
  }

  /**
   * The newest state of some domains on each of the given devices (absent devices have no row), in
   * one query, each domain with its own load:
   * - null: no payload (a LatestStatusRow, with has_payload). Fleet-wide tools read the domain's own
   *   tables instead of parsing 200 payloads of 10,000 containers (bench/mcp: 70 ms -> a few ms).
   * - `only`: the payload's listed top-level keys alone; PostgreSQL drops the rest before it is sent
   *   and parsed (a fleet-wide check reads zfs pools, not 200 devices' snapshot lists).
   * - `when`: a payload only where that predicate on it holds, the other rows as status rows: the
   *   fleet health check reads only the devices its rules could flag (turning a payload into JSON
   *   text is most of such a read; the predicate alone is cheap).
   * One round trip for several domains: on the fleet health check the queries' own overhead was most
   * of its reads.
   */
  async latest(
    deviceIds: readonly number[],
    loads: ReadonlyMap<Domain, PayloadLoad>,
  ): Promise<(LatestStateRow | LatestStatusRow)[]> {
    if (deviceIds.length === 0 || loads.size === 0) return [];
    const sent = [...loads].flatMap(([domain, load]) =>
      load === null ? [] : [sql`WHEN ${domain}::text THEN ${payloadFor(load)}`],
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
    return rows.map((row) => asLoaded(row, loads.get(row.domain as Domain)));
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
