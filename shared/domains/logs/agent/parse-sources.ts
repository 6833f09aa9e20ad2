import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseJournalJson } from "./parse-journal-json.ts";
import { parseSyslog } from "./parse-syslog.ts";

/** `agent parse logs <source> < FILE`. Syslog stamps without a year or zone are read as this host's. */
export const LOGS_PARSE_SOURCES: ParseSources = {
  "journal-json": {
    describe: "journalctl -o json --all (one JSON object per line)",
    parse: parseJournalJson,
  },
  syslog: {
    describe: "/var/log/syslog or /var/log/messages (RFC 3164, RFC 5424, rsyslog RFC 3339 stamps)",
    parse: (text, clock) => parseSyslog(text, clock ?? { now: new Date(), zone: "local" }),
  },
};
