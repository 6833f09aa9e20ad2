import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { DATASETS_ARGV, SNAPSHOTS_ARGV, ZPOOL_LIST_ARGV, ZPOOL_STATUS_ARGV } from "./commands.ts";
import { parseArcstats } from "./parse-arcstats.ts";
import { parseZfsDatasets, parseZfsSnapshots } from "./parse-zfs-list.ts";
import { parseZpoolList } from "./parse-zpool-list.ts";
import { parseZpoolStatus } from "./parse-zpool-status.ts";

/** `agent parse zfs <source> < FILE`: the outputs of the exact commands the collector runs. */
export const ZFS_PARSE_SOURCES: ParseSources = {
  "zpool-list": { describe: ZPOOL_LIST_ARGV.join(" "), parse: parseZpoolList },
  "zpool-status": { describe: ZPOOL_STATUS_ARGV.join(" "), parse: parseZpoolStatus },
  "zfs-list": { describe: DATASETS_ARGV.join(" "), parse: (text) => parseZfsDatasets(text) },
  "zfs-snapshots": { describe: SNAPSHOTS_ARGV.join(" "), parse: (text) => parseZfsSnapshots(text) },
  arcstats: { describe: "/proc/spl/kstat/zfs/arcstats", parse: parseArcstats },
};
