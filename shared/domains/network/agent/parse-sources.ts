import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseIpAddr, parseIpNeigh, parseIpRoute } from "./parse-ip.ts";
import { parseLldpctl } from "./parse-lldpctl.ts";
import { parseResolvConf } from "./parse-resolv-conf.ts";
import { parseSs } from "./parse-ss.ts";
import { parseTailscaleStatus } from "./parse-tailscale.ts";

/** `agent parse network <source> < FILE`. */
export const NETWORK_PARSE_SOURCES: ParseSources = {
  "ip-addr": { describe: "ip -j addr", parse: parseIpAddr },
  "ip-route": { describe: "ip -j route (or ip -j -6 route)", parse: parseIpRoute },
  "ip-neigh": { describe: "ip -j neigh", parse: parseIpNeigh },
  ss: { describe: "ss -Htlnp or ss -Hulnp (or ss -Htulnp)", parse: parseSs },
  "tailscale-status": { describe: "tailscale status --json", parse: parseTailscaleStatus },
  lldpctl: { describe: "lldpctl -f json", parse: parseLldpctl },
  "resolv-conf": { describe: "/etc/resolv.conf", parse: (text) => parseResolvConf(text) },
};
