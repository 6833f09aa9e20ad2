import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseApkUpgradable } from "./parse-apk.ts";
import { parseAptUpgradable } from "./parse-apt.ts";
import { parseDnfCheckUpdate } from "./parse-dnf.ts";
import { parsePacmanUpdates } from "./parse-pacman.ts";

/** `agent parse updates <source> < FILE`: one parser per package manager's listing. */
export const UPDATES_PARSE_SOURCES: ParseSources = {
  apt: { describe: "LC_ALL=C apt list --upgradable", parse: parseAptUpgradable },
  dnf: { describe: "dnf check-update (stdout; exit 100 = updates)", parse: parseDnfCheckUpdate },
  pacman: { describe: "checkupdates, or pacman -Qu", parse: parsePacmanUpdates },
  apk: { describe: "apk list -u", parse: parseApkUpgradable },
};
