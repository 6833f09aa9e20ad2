import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseBtime } from "./parse-btime.ts";
import { parseCpuinfo } from "./parse-cpuinfo.ts";
import { parseOsRelease } from "./parse-os-release.ts";
import { parseDetectVirt } from "./parse-virt.ts";

/** `agent parse inventory <source> < FILE`. */
export const INVENTORY_PARSE_SOURCES: ParseSources = {
  "os-release": { describe: "/etc/os-release (or /usr/lib/os-release)", parse: parseOsRelease },
  "proc-cpuinfo": { describe: "/proc/cpuinfo", parse: parseCpuinfo },
  "proc-stat-btime": {
    describe: "/proc/stat (its btime line)",
    parse: (text) => ({ boot_time: parseBtime(text) }),
  },
  "systemd-detect-virt": { describe: "systemd-detect-virt", parse: parseDetectVirt },
};
