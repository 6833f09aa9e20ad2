import { parseEachItem } from "@infrastructor/lib/collect/parse-items.ts";
import { checkShape, parseJson } from "@infrastructor/lib/collect/parse-json.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { z } from "zod";
import { type Tailscale, type TailscalePeer, TailscalePeerSchema } from "../schema.ts";

const SOURCE = "tailscale status --json";

/** ipnstate.PeerStatus, the fields we keep. */
const PeerSchema = z.object({
  HostName: z.string().min(1),
  DNSName: z.string().default(""),
  OS: z.string().default(""),
  TailscaleIPs: z.array(z.string()).nullable().default([]),
  Online: z.boolean().default(false),
  ExitNode: z.boolean().default(false),
  LastSeen: z.string().optional(),
});

/** ipnstate.Status: `Peer` is a map keyed by node key, null or absent without peers. */
const StatusSchema = z.object({
  BackendState: z.string().min(1),
  Self: PeerSchema.nullable().optional(),
  Peer: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** The status, and the peers that could not be read (each named by its HostName, else its node key). */
export interface TailscaleParse {
  value: Tailscale;
  errors: ItemError[];
}

/** Go's zero time, which tailscale prints for "never". */
const ZERO_TIME = "0001-01-01T00:00:00Z";

export function parseTailscaleStatus(text: string): TailscaleParse {
  const status = parseJson(SOURCE, text, StatusSchema);
  const raw = Object.entries(status.Peer ?? {}).map(([key, input]) => {
    const host =
      typeof input === "object" && input !== null ? (input as { HostName?: unknown }).HostName : null;
    return {
      name: typeof host === "string" ? host : key,
      line: null,
      text: JSON.stringify(input) ?? "",
      input,
    };
  });
  const parsed = parseEachItem(raw, ({ input }) =>
    checkShape(SOURCE, TailscalePeerSchema, toPeer(checkShape(SOURCE, PeerSchema, input))),
  );
  return {
    value: {
      backend_state: status.BackendState.slice(0, 64),
      self: status.Self ? toPeer(status.Self) : null,
      peers: parsed.items.sort((a, b) => a.hostname.localeCompare(b.hostname)),
    },
    errors: parsed.errors,
  };
}

function toPeer(p: z.infer<typeof PeerSchema>): TailscalePeer {
  return {
    hostname: p.HostName.slice(0, 255),
    dns_name: p.DNSName.replace(/\.$/, "").slice(0, 255),
    os: p.OS.slice(0, 64),
    ips: (p.TailscaleIPs ?? []).slice(0, 16),
    online: p.Online,
    exit_node: p.ExitNode,
    last_seen: p.LastSeen === undefined || p.LastSeen === ZERO_TIME ? null : p.LastSeen,
  };
}
