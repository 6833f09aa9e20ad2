import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parsePctList, parsePveshResources, parseQmList } from "./parse-proxmox.ts";
import { parseVirshDominfo, parseVirshDomstats, parseVirshList } from "./parse-virsh.ts";

/** `agent parse vms <source> < FILE`. */
export const VMS_PARSE_SOURCES: ParseSources = {
  "virsh-list": { describe: "virsh list --all", parse: parseVirshList },
  "virsh-dominfo": { describe: "virsh dominfo --domain NAME", parse: parseVirshDominfo },
  "virsh-domstats": { describe: "virsh domstats", parse: parseVirshDomstats },
  "pvesh-resources": {
    describe: "pvesh get /cluster/resources --type vm --output-format json",
    parse: parsePveshResources,
  },
  "qm-list": { describe: "qm list", parse: parseQmList },
  "pct-list": { describe: "pct list", parse: parsePctList },
};
