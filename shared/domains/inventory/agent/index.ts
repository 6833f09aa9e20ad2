import { AGENT_VERSION } from "@infrastructor/agent/version.ts";
import { parseMeminfo } from "@infrastructor/domains/system/agent/parse-meminfo.ts";
import { attempt } from "@infrastructor/domains/system/agent/read.ts";
import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { inventoryDomain } from "../domain.ts";
import { type InventoryData, InventoryDataSchema } from "../schema.ts";
import { parseBtime } from "./parse-btime.ts";
import { parseCpuinfo } from "./parse-cpuinfo.ts";
import { parseOsRelease } from "./parse-os-release.ts";
import { parseOneToken } from "./parse-token.ts";
import { type InventoryRoots, readOsRelease, readText, readVirtualization, runUname } from "./read.ts";

/** Each source's field: a source that fails is that field's item error. */
const FIELD_OF_SOURCE: Readonly<Record<string, string>> = {
  "os-release": "os",
  kernel: "kernel",
  uname: "arch",
  "proc/cpuinfo": "cpu",
  "proc/meminfo": "memory_total_bytes",
  "proc/stat": "boot_time",
  "systemd-detect-virt": "virtualization",
};

/** An envelope error back as an AppError, so itemError finds its line and excerpt in its details. */
function toAppError(e: EnvelopeError): AppError {
  return new AppError(e.code as ErrorCode, e.message, e.details === undefined ? {} : { details: e.details });
}

export interface InventoryCollectorOptions {
  executor: Executor;
  /** Reported as the inventory's agent_version; default this agent's build. */
  agentVersion?: string;
  procRoot?: string;
  sysRoot?: string;
  osReleasePaths?: readonly string[];
}

export const INVENTORY_INTERVAL_MS = inventoryDomain.intervalMs;

export function createInventoryCollector(options: InventoryCollectorOptions): Collector<"inventory"> {
  const roots: InventoryRoots = {
    procRoot: options.procRoot ?? "/proc",
    sysRoot: options.sysRoot ?? "/sys",
    osReleasePaths: options.osReleasePaths ?? ["/etc/os-release", "/usr/lib/os-release"],
  };
  const { executor, agentVersion = AGENT_VERSION } = options;

  async function collect(): Promise<CollectResult<"inventory">> {
    const errors: EnvelopeError[] = [];
    const { procRoot } = roots;
    const [os, kernel, arch, cpu, memory, bootTime] = await Promise.all([
      attempt(errors, "os-release", async () =>
        parseOsRelease(await readOsRelease(executor, roots.osReleasePaths)),
      ),
      attempt(errors, "kernel", async () =>
        parseOneToken("kernel", await readText(executor, `${procRoot}/sys/kernel/osrelease`)),
      ),
      attempt(errors, "uname", async () => parseOneToken("uname -m", await runUname(executor))),
      attempt(errors, "proc/cpuinfo", async () =>
        parseCpuinfo(await readText(executor, `${procRoot}/cpuinfo`)),
      ),
      attempt(errors, "proc/meminfo", async () =>
        parseMeminfo(await readText(executor, `${procRoot}/meminfo`)),
      ),
      attempt(errors, "proc/stat", async () => parseBtime(await readText(executor, `${procRoot}/stat`))),
    ]);
    const virtualization = await readVirtualization(executor, roots, cpu?.hypervisor_flag ?? null, errors);
    const itemErrors = errors.flatMap((e) => {
      const name = FIELD_OF_SOURCE[e.source ?? ""];
      return name === undefined ? [] : [itemError({ name, line: null, text: "" }, toAppError(e))];
    });
    const data: InventoryData = {
      os,
      kernel,
      arch,
      cpu,
      memory_total_bytes: memory?.total_bytes ?? null,
      virtualization,
      boot_time: bootTime,
      agent_version: agentVersion,
      ...(itemErrors.length > 0 ? { item_errors: itemErrors } : {}),
    };
    const checked = InventoryDataSchema.safeParse(data);
    if (!checked.success) {
      errors.push({
        code: ErrorCode.INTERNAL,
        message: `sample fails its schema: ${checked.error.message}`.slice(0, 1000),
        source: "inventory",
      });
      return { data: null, errors };
    }
    return { data: checked.data, errors };
  }

  return { domain: "inventory", defaultIntervalMs: INVENTORY_INTERVAL_MS, collect };
}
