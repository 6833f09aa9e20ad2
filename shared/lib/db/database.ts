import { BACKUPS_TABLE_DECLARATIONS } from "@infrastructor/domains/backups/server/tables.ts";
import { DOCKER_TABLE_DECLARATIONS } from "@infrastructor/domains/docker/server/tables.ts";
import { INVENTORY_TABLE_DECLARATIONS } from "@infrastructor/domains/inventory/server/tables.ts";
import { LOGS_TABLE_DECLARATIONS } from "@infrastructor/domains/logs/server/tables.ts";
import { NETWORK_TABLE_DECLARATIONS } from "@infrastructor/domains/network/server/tables.ts";
import { SMART_TABLE_DECLARATIONS } from "@infrastructor/domains/smart/server/tables.ts";
import { SYSTEM_TABLE_DECLARATIONS } from "@infrastructor/domains/system/server/tables.ts";
import { UPDATES_TABLE_DECLARATIONS } from "@infrastructor/domains/updates/server/tables.ts";
import { UPS_TABLE_DECLARATIONS } from "@infrastructor/domains/ups/server/tables.ts";
import { VMS_TABLE_DECLARATIONS } from "@infrastructor/domains/vms/server/tables.ts";
import { ZFS_TABLE_DECLARATIONS } from "@infrastructor/domains/zfs/server/tables.ts";
import { ALERT_TABLES } from "./alert-tables.ts";
import { CORE_TABLES } from "./core-tables.ts";
import type { AnyTable, TablesOf } from "./table.ts";

/**
 * Every declared table: the core ones, then each domain's (one line per domain). The catalog test
 * (sql/src/table-declarations.test.ts) holds this list against the migrated database both ways.
 */
export const TABLES = [
  ...CORE_TABLES,
  ...SYSTEM_TABLE_DECLARATIONS,
  ...DOCKER_TABLE_DECLARATIONS,
  ...SMART_TABLE_DECLARATIONS,
  ...ZFS_TABLE_DECLARATIONS,
  ...BACKUPS_TABLE_DECLARATIONS,
  ...UPDATES_TABLE_DECLARATIONS,
  ...LOGS_TABLE_DECLARATIONS,
  ...INVENTORY_TABLE_DECLARATIONS,
  ...NETWORK_TABLE_DECLARATIONS,
  ...VMS_TABLE_DECLARATIONS,
  ...UPS_TABLE_DECLARATIONS,
  ...ALERT_TABLES,
] as const satisfies readonly AnyTable[];

/** The database as Kysely sees it: every table and column, checked at compile time. */
export type Database = TablesOf<typeof TABLES>;
