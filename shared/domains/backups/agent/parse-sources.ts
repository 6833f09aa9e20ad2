import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseBorgList } from "./parse-borg-list.ts";
import { parseResticSnapshots } from "./parse-restic-snapshots.ts";

/** `agent parse backups <source> < FILE`. ZFS snapshot listings: `agent parse zfs zfs-snapshots`. */
export const BACKUPS_PARSE_SOURCES: ParseSources = {
  "restic-snapshots": {
    describe: "restic snapshots --json --no-lock --repo REPO --password-file FILE",
    parse: parseResticSnapshots,
  },
  "borg-list": { describe: "borg list --json --bypass-lock REPO", parse: parseBorgList },
};
