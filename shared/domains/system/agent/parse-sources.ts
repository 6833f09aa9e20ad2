import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseDf } from "./parse-df.ts";
import { parseDiskstats } from "./parse-diskstats.ts";
import { parseLoadavg } from "./parse-loadavg.ts";
import { parseMeminfo } from "./parse-meminfo.ts";
import { parseMounts } from "./parse-mounts.ts";
import { parseNetDev } from "./parse-net-dev.ts";
import { parseStat } from "./parse-stat.ts";
import { parseUptime } from "./parse-uptime.ts";

/** `agent parse system <source> < FILE`: the system collector's parsers, one per captured file. */
export const SYSTEM_PARSE_SOURCES: ParseSources = {
  "proc-stat": { describe: "/proc/stat", parse: parseStat },
  "proc-meminfo": { describe: "/proc/meminfo", parse: parseMeminfo },
  "proc-loadavg": { describe: "/proc/loadavg", parse: parseLoadavg },
  "proc-uptime": { describe: "/proc/uptime", parse: (text) => ({ uptime_s: parseUptime(text) }) },
  "proc-diskstats": { describe: "/proc/diskstats", parse: parseDiskstats },
  "proc-net-dev": { describe: "/proc/net/dev", parse: parseNetDev },
  mounts: { describe: "/proc/self/mounts (or /proc/mounts)", parse: parseMounts },
  df: { describe: "df, df -h, df -P or df -T (GNU coreutils)", parse: parseDf },
};
