import { capSource } from "@infrastructor/lib/collect/cap-list.ts";
import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { type ItemsParse, itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { optionalSource, runText, toSourceResult } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import type { SourceResult } from "@infrastructor/shared/schemas/source-result.ts";
import { networkDomain } from "../domain.ts";
import type { Tailscale } from "../schema.ts";
import { NETWORK_SENT_MAX, type NetworkData, NetworkDataSchema } from "../schema.ts";
import { parseIpAddr, parseIpNeigh } from "./parse-ip.ts";
import { parseLldpctl } from "./parse-lldpctl.ts";
import { parseTailscaleStatus } from "./parse-tailscale.ts";
import {
  DEFAULT_TOOLS,
  type NetworkTools,
  type ResolvPaths,
  readDns,
  readListening,
  readRoutes,
} from "./read.ts";

/** A list source: what throws is `{ ok: false }`; rows that could not be read are its item_errors. */
async function listSource<T>(task: () => Promise<ItemsParse<T>>): Promise<SourceResult<T[]>> {
  const result = await toSourceResult(task);
  return result.ok ? itemsResult(result.value) : result;
}

/** listSource for a tool that may not be installed: absent is null, not a failure. */
async function optionalListSource<T>(task: () => Promise<ItemsParse<T>>): Promise<SourceResult<T[]> | null> {
  const result = await optionalSource(task);
  return result === null ? null : result.ok ? itemsResult(result.value) : result;
}

/** Tailscale when installed; a peer that cannot be read is an item error beside the others. */
async function optionalTailscale(read: () => Promise<string>): Promise<SourceResult<Tailscale> | null> {
  const result = await optionalSource(async () => parseTailscaleStatus(await read()));
  if (result === null || !result.ok) return result;
  const { value, errors } = result.value;
  // itemsResult's cap, for a source whose value is not a list.
  const capped = itemsResult({ items: [], errors });
  return capped.ok ? { ...capped, value } : capped;
}

export interface NetworkCollectorOptions {
  executor: Executor;
  tools?: Partial<NetworkTools>;
  resolv?: Partial<ResolvPaths>;
}

export const NETWORK_INTERVAL_MS = networkDomain.intervalMs;

export function createNetworkCollector(options: NetworkCollectorOptions): Collector<"network"> {
  const { executor } = options;
  const tools: NetworkTools = { ...DEFAULT_TOOLS, ...options.tools };
  const resolv: ResolvPaths = {
    resolvConf: "/etc/resolv.conf",
    resolvedUpstream: "/run/systemd/resolve/resolv.conf",
    ...options.resolv,
  };

  async function collect(): Promise<CollectResult<"network">> {
    const [interfaces, routes, neighbours, listening, dns, tailscale, lldp] = await Promise.all([
      listSource(async () => parseIpAddr(await runText(executor, [tools.ip, "-j", "addr"]))),
      listSource(() => readRoutes(executor, tools.ip)),
      listSource(async () => parseIpNeigh(await runText(executor, [tools.ip, "-j", "neigh"]))),
      listSource(() => readListening(executor, tools.ss)),
      toSourceResult(() => readDns(executor, resolv)),
      optionalTailscale(() => runText(executor, [tools.tailscale, "status", "--json"])),
      optionalListSource(async () => parseLldpctl(await runText(executor, [tools.lldpctl, "-f", "json"]))),
    ]);
    // Without iproute2 there are no interfaces, routes or neighbours: nothing to draw a topology from.
    if (!interfaces.ok && interfaces.error.code === ErrorCode.COMMAND_MISSING) {
      return {
        data: null,
        errors: [],
        unavailable: { code: ErrorCode.COMMAND_MISSING, reason: `${tools.ip} (iproute2) is not installed` },
      };
    }
    const max = NETWORK_SENT_MAX;
    const data: NetworkData = {
      interfaces: capSource(interfaces, max.interfaces),
      routes: capSource(routes, max.routes),
      neighbours: capSource(neighbours, max.neighbours),
      listening: capSource(listening, max.listening),
      dns,
      tailscale,
      lldp: lldp === null ? null : capSource(lldp, max.lldp),
    };
    const checked = NetworkDataSchema.safeParse(data);
    if (!checked.success) {
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      return { data: null, errors: [{ code: ErrorCode.INTERNAL, message, source: "network" }] };
    }
    return { data: checked.data, errors: [] };
  }

  return { domain: "network", defaultIntervalMs: NETWORK_INTERVAL_MS, collect };
}
