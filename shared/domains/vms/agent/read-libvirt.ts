import { type ItemsParse, itemError } from "@infrastructor/lib/collect/parse-items.ts";
import { runText } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Vm } from "../schema.ts";
import { type DomainStats, parseVirshDominfo, parseVirshDomstats, parseVirshList } from "./parse-virsh.ts";
import { domainStateWord, vmState } from "./vm-state.ts";

/**
 * Names that may reach `virsh dominfo --domain NAME`. libvirt allows almost anything in a name; we pass
 * only plain ones, and a domain with another name is reported from `virsh domstats` alone.
 */
export const DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;

export interface LibvirtOptions {
  virsh: string;
  /** Read-only connection to the system daemon: the agent never needs to change a domain. */
  uri: string;
}

/** Counter readings of the previous poll, for cpu %: domain name -> cpu.time (ns) at a time (ms). */
export type CpuBaseline = Map<string, { cpuNs: number; atMs: number }>;

/**
 * Every domain of `virsh list --all`, with domstats' figures (dominfo's where domstats lacks them). A
 * list row, domstats block or dominfo output that cannot be read is an item error naming its domain;
 * a domain whose list row was readable is reported even when its figures were not.
 */
export async function readLibvirt(
  executor: Executor,
  options: LibvirtOptions,
  baseline: CpuBaseline,
  nowMs: number,
): Promise<ItemsParse<Vm>> {
  const virsh = (...args: string[]): Promise<string> =>
    runText(executor, [options.virsh, "--readonly", "-c", options.uri, ...args]);
  const list = parseVirshList(await virsh("list", "--all"));
  const domstats = parseVirshDomstats(await virsh("domstats"));
  const errors = [...list.errors, ...domstats.errors];
  const stats = new Map(domstats.items.map((s) => [s.name, s]));
  const vms: Vm[] = [];
  for (const entry of list.items) {
    const stat = stats.get(entry.name) ?? null;
    let fallback: ReturnType<typeof parseVirshDominfo> | null = null;
    if (stat?.vcpus == null || stat.balloon_maximum_bytes == null) {
      try {
        fallback = await dominfo(virsh, entry.name);
      } catch (err) {
        // Its dominfo unreadable: the domain is still reported, from the list (and domstats).
        errors.push(itemError({ name: entry.name, line: null, text: "" }, err));
      }
    }
    const vcpus = stat?.vcpus ?? fallback?.vcpus ?? null;
    const state = stat ? domainStateWord(stat.state) : entry.state;
    vms.push({
      id: entry.name.slice(0, 64),
      name: entry.name.slice(0, 255),
      type: "vm",
      state: vmState(state),
      state_detail: state.slice(0, 64),
      vcpus,
      memory_bytes:
        vmState(state) === "running" ? (stat?.balloon_current_bytes ?? fallback?.memory_bytes ?? null) : null,
      memory_max_bytes: stat?.balloon_maximum_bytes ?? fallback?.memory_max_bytes ?? null,
      // libvirt does not report a domain's uptime.
      uptime_s: null,
      cpu_pct: cpuPct(baseline, entry.name, stat, vcpus, nowMs),
      node: null,
    });
  }
  // Forget domains that are gone, so the baseline does not grow forever on a busy host.
  for (const name of baseline.keys()) if (!stats.has(name)) baseline.delete(name);
  return { items: vms, errors };
}

/** Only for names the pattern allows; a domain that vanished since `list` just has no extra data. */
async function dominfo(
  virsh: (...args: string[]) => Promise<string>,
  name: string,
): Promise<ReturnType<typeof parseVirshDominfo> | null> {
  if (!DOMAIN_NAME.test(name)) return null;
  try {
    return parseVirshDominfo(await virsh("dominfo", "--domain", name));
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.COMMAND_FAILED) return null;
    throw err;
  }
}

/** cpu.time delta over wall time, as a share of the domain's vCPUs; null on the first sample. */
function cpuPct(
  baseline: CpuBaseline,
  name: string,
  stat: DomainStats | null,
  vcpus: number | null,
  nowMs: number,
): number | null {
  if (stat?.cpu_time_ns == null) {
    baseline.delete(name);
    return null;
  }
  const previous = baseline.get(name);
  baseline.set(name, { cpuNs: stat.cpu_time_ns, atMs: nowMs });
  if (previous === undefined || vcpus === null || vcpus === 0 || nowMs <= previous.atMs) return null;
  const used = stat.cpu_time_ns - previous.cpuNs;
  // A restarted domain's counter starts again from zero: no rate this time.
  if (used < 0) return null;
  const pct = (used / ((nowMs - previous.atMs) * 1e6 * vcpus)) * 100;
  return Math.min(100, Math.round(pct * 100) / 100);
}
