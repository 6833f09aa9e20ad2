import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { runText } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Dns, ListeningPort, Route } from "../schema.ts";
import { parseIpRoute } from "./parse-ip.ts";
import { isResolvedStub, parseResolvConf } from "./parse-resolv-conf.ts";
import { parseSs } from "./parse-ss.ts";

/** Program names, overridable so tests can point at a tool that is not there. */
export interface NetworkTools {
  ip: string;
  ss: string;
  tailscale: string;
  lldpctl: string;
}

export const DEFAULT_TOOLS: NetworkTools = { ip: "ip", ss: "ss", tailscale: "tailscale", lldpctl: "lldpctl" };

export interface ResolvPaths {
  resolvConf: string;
  /** systemd-resolved's list of upstream servers, read when resolv.conf is its 127.0.0.53 stub. */
  resolvedUpstream: string;
}

/** IPv4 and IPv6 tables: `ip -j route` alone shows only IPv4. */
export async function readRoutes(executor: Executor, ip: string): Promise<ItemsParse<Route>> {
  const [v4, v6] = await Promise.all([
    runText(executor, [ip, "-j", "route"]),
    runText(executor, [ip, "-j", "-6", "route"]),
  ]);
  return joinParses(parseIpRoute(v4), parseIpRoute(v6));
}

function joinParses<T>(a: ItemsParse<T>, b: ItemsParse<T>): ItemsParse<T> {
  return { items: [...a.items, ...b.items], errors: [...a.errors, ...b.errors] };
}

/**
 * ss output for a host where local users opened tens of thousands of sockets (about 100 bytes each):
 * read whole, so the list can be cut to what is sent with a true count of the rest.
 */
const SS_MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/** TCP listeners and bound UDP sockets, numeric, with owners where ss may see them. */
export async function readListening(executor: Executor, ss: string): Promise<ItemsParse<ListeningPort>> {
  const options = { maxOutputBytes: SS_MAX_OUTPUT_BYTES };
  const [tcp, udp] = await Promise.all([
    runText(executor, [ss, "-Htlnp"], options),
    runText(executor, [ss, "-Hulnp"], options),
  ]);
  return joinParses(parseSs(tcp), parseSs(udp));
}

export async function readDns(executor: Executor, paths: ResolvPaths): Promise<Dns> {
  const dns = parseResolvConf(
    await executor.readFile(paths.resolvConf, { maxBytes: 64 * 1024 }),
    paths.resolvConf,
  );
  if (!isResolvedStub(dns)) return dns;
  try {
    const upstream = await executor.readFile(paths.resolvedUpstream, { maxBytes: 64 * 1024 });
    return parseResolvConf(upstream, paths.resolvedUpstream);
  } catch (err) {
    // The stub without its upstream file (resolved not running): the stub is still the truth.
    if (err instanceof AppError && err.code === ErrorCode.NOT_FOUND) return dns;
    throw err;
  }
}
