import { BACKUPS_TABLES } from "@infrastructor/domains/backups/server/tables.ts";
import { DOCKER_TABLES } from "@infrastructor/domains/docker/server/tables.ts";
import { INVENTORY_TABLES } from "@infrastructor/domains/inventory/server/tables.ts";
import { LOGS_TABLES } from "@infrastructor/domains/logs/server/tables.ts";
import { NETWORK_TABLES } from "@infrastructor/domains/network/server/tables.ts";
import { SMART_TABLES } from "@infrastructor/domains/smart/server/tables.ts";
import { SYSTEM_TABLES } from "@infrastructor/domains/system/server/tables.ts";
import { UPDATES_TABLES } from "@infrastructor/domains/updates/server/tables.ts";
import { VMS_TABLES } from "@infrastructor/domains/vms/server/tables.ts";
import { ZFS_TABLES } from "@infrastructor/domains/zfs/server/tables.ts";
import { CORE_TABLES } from "./core-tables.ts";
import type { AnyTable, TablesOf } from "./table.ts";

/**
 * Every declared table: the core ones, then each domain's (one line per domain). The catalog test
 * (sql/src/table-declarations.test.ts) holds this list against the migrated database both ways.
 */
export const TABLES = [
  ...CORE_TABLES,
  ...SYSTEM_TABLES,
  ...DOCKER_TABLES,
  ...SMART_TABLES,
  ...ZFS_TABLES,
  ...BACKUPS_TABLES,
  ...UPDATES_TABLES,
  ...LOGS_TABLES,
  ...INVENTORY_TABLES,
  ...NETWORK_TABLES,
  ...VMS_TABLES,
] as const satisfies readonly AnyTable[];

/** The database as Kysely sees it: every table and column, checked at compile time. */
export type Database = TablesOf<typeof TABLES>;
