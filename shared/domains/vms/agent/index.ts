import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { keepValid } from "@infrastructor/lib/collect/keep-valid.ts";
import { type ItemsParse, itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { optionalSource } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { vmsDomain } from "../domain.ts";
import { type Vm, VmSchema, type VmsData, VmsDataSchema } from "../schema.ts";
import { type CpuBaseline, type LibvirtOptions, readLibvirt } from "./read-libvirt.ts";
import { type ProxmoxOptions, readProxmox } from "./read-proxmox.ts";

export interface VmsCollectorOptions {
  executor: Executor;
  libvirt?: Partial<LibvirtOptions>;
  proxmox?: Partial<ProxmoxOptions>;
  /** Milliseconds on a monotonic clock, for cpu % between two polls. */
  now?: () => number;
}

export const VMS_INTERVAL_MS = vmsDomain.intervalMs;

export function createVmsCollector(options: VmsCollectorOptions): Collector<"vms"> {
  const { executor } = options;
  const libvirt: LibvirtOptions = { virsh: "virsh", uri: "qemu:///system", ...options.libvirt };
  const proxmox: ProxmoxOptions = {
    pvesh: "pvesh",
    qm: "qm",
    pct: "pct",
    hostnamePath: "/etc/hostname",
    ...options.proxmox,
  };
  const now = options.now ?? ((): number => performance.now());
  const baseline: CpuBaseline = new Map();

  async function collect(): Promise<CollectResult<"vms">> {
    const [libvirtVms, proxmoxVms] = await Promise.all([
      optionalSource(() => readLibvirt(executor, libvirt, baseline, now())).then(guestsResult),
      optionalSource(() => readProxmox(executor, proxmox)).then(guestsResult),
    ]);
    if (libvirtVms === null && proxmoxVms === null) {
      return {
        data: null,
        errors: [],
        unavailable: {
          code: ErrorCode.COMMAND_MISSING,
          reason: `neither ${libvirt.virsh} (libvirt) nor ${proxmox.pvesh}/${proxmox.qm}/${proxmox.pct} (Proxmox VE) is installed`,
        },
      };
    }
    const data: VmsData = { libvirt: libvirtVms, proxmox: proxmoxVms };
    const checked = VmsDataSchema.safeParse(data);
    if (!checked.success) {
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      return { data: null, errors: [{ code: ErrorCode.INTERNAL, message, source: "vms" }] };
    }
    return { data: checked.data, errors: [] };
  }

  return { domain: "vms", defaultIntervalMs: VMS_INTERVAL_MS, collect };
}

/**
 * A source's guests with their item errors beside them; a guest the hub's schema would refuse (a
 * figure out of bounds) is one more item error instead of the end of the whole sample.
 */
function guestsResult(
  result: Awaited<ReturnType<typeof optionalSource<ItemsParse<Vm>>>>,
): VmsData["libvirt"] {
  if (result === null || !result.ok) return result;
  const valid = keepValid(result.value.items, VmSchema, (vm) => vm.name);
  return itemsResult({ items: valid.items, errors: [...result.value.errors, ...valid.errors] });
}
