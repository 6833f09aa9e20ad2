import { BACKUPS_PARSE_SOURCES } from "@infrastructor/domains/backups/agent/parse-sources.ts";
import { DOCKER_PARSE_SOURCES } from "@infrastructor/domains/docker/agent/parse-sources.ts";
import { INVENTORY_PARSE_SOURCES } from "@infrastructor/domains/inventory/agent/parse-sources.ts";
import { LOGS_PARSE_SOURCES } from "@infrastructor/domains/logs/agent/parse-sources.ts";
import { NETWORK_PARSE_SOURCES } from "@infrastructor/domains/network/agent/parse-sources.ts";
import { SMART_PARSE_SOURCES } from "@infrastructor/domains/smart/agent/parse-sources.ts";
import { SYSTEM_PARSE_SOURCES } from "@infrastructor/domains/system/agent/parse-sources.ts";
import { UPDATES_PARSE_SOURCES } from "@infrastructor/domains/updates/agent/parse-sources.ts";
import { VMS_PARSE_SOURCES } from "@infrastructor/domains/vms/agent/parse-sources.ts";
import { ZFS_PARSE_SOURCES } from "@infrastructor/domains/zfs/agent/parse-sources.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";

/**
 * What a parser reads stamps without a year or zone against (RFC 3164 syslog): `agent parse` leaves it
 * out (this host's clock and zone), the test-case walker passes a fixed one so expected.json never ages.
 */
export interface ParseClock {
  now: Date;
  zone: "local" | "utc";
}

/** One parser `agent parse` can run: text of a captured output in, normalized value out. */
export interface ParseSource {
  /** What to feed it, e.g. "smartctl -a -j /dev/sda". */
  describe: string;
  parse(text: string, clock?: ParseClock): unknown;
}

export type ParseSources = Readonly<Record<string, ParseSource>>;

/** Every domain's parsers, by source name. A domain adds one line here. */
export const PARSE_SOURCES: { readonly [D in Domain]?: ParseSources } = {
  system: SYSTEM_PARSE_SOURCES,
  smart: SMART_PARSE_SOURCES,
  docker: DOCKER_PARSE_SOURCES,
  zfs: ZFS_PARSE_SOURCES,
  backups: BACKUPS_PARSE_SOURCES,
  updates: UPDATES_PARSE_SOURCES,
  logs: LOGS_PARSE_SOURCES,
  inventory: INVENTORY_PARSE_SOURCES,
  network: NETWORK_PARSE_SOURCES,
  vms: VMS_PARSE_SOURCES,
};
