import { toEnvelopeError } from "@infrastructor/domains/system/agent/read.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Virtualization } from "../schema.ts";
import { classifyVirt, parseDetectVirt } from "./parse-virt.ts";

/** Small text files only; the cap guards against a wrong root pointing at something huge. */
const MAX_BYTES = 1024 * 1024;

export interface InventoryRoots {
  procRoot: string;
  sysRoot: string;
  /** os-release(5): /etc/os-release, falling back to /usr/lib/os-release. */
  osReleasePaths: readonly string[];
}

export function readText(executor: Executor, path: string): Promise<string> {
  return executor.readFile(path, { maxBytes: MAX_BYTES });
}

/** The first os-release that exists; NOT_FOUND only when none does. */
export async function readOsRelease(executor: Executor, paths: readonly string[]): Promise<string> {
  for (const path of paths) {
    try {
      return await readText(executor, path);
    } catch (err) {
      if (!(err instanceof AppError && err.code === ErrorCode.NOT_FOUND)) throw err;
    }
  }
  throw new AppError(ErrorCode.NOT_FOUND, `no os-release in ${paths.join(", ")}`);
}

/** `uname -m`: the machine hardware name the kernel reports (x86_64, aarch64, armv7l). */
export async function runUname(executor: Executor): Promise<string> {
  const result = await executor.run(["uname", "-m"], { timeoutMs: 5_000, maxOutputBytes: 4096 });
  if (result.exitCode !== 0) {
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `uname -m exited ${result.exitCode}: ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

/**
 * systemd-detect-virt when installed (it knows every hypervisor and container manager); otherwise DMI
 * and the cpuinfo hypervisor flag. A failure of the tool is reported and the fallback still answers.
 */
export async function readVirtualization(
  executor: Executor,
  roots: InventoryRoots,
  hypervisorFlag: boolean | null,
  errors: EnvelopeError[],
): Promise<Virtualization> {
  try {
    // Exit 1 with "none" means no virtualization: it is an answer, not a failure.
    const result = await executor.run(["systemd-detect-virt"], { timeoutMs: 5_000, maxOutputBytes: 4096 });
    if (result.exitCode === 0 || result.stdout.trim() === "none") return parseDetectVirt(result.stdout);
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `systemd-detect-virt exited ${result.exitCode}: ${result.stderr.trim()}`.slice(0, 500),
    );
  } catch (err) {
    if (!(err instanceof AppError && err.code === ErrorCode.COMMAND_MISSING)) {
      errors.push(toEnvelopeError(err, "systemd-detect-virt"));
    }
  }
  const dmi = await readDmi(executor, roots.sysRoot);
  return classifyVirt(dmi, hypervisorFlag);
}

/** Null when the DMI tables are absent (most ARM boards, containers without /sys/class/dmi). */
async function readDmi(
  executor: Executor,
  sysRoot: string,
): Promise<{ vendor: string; product: string } | null> {
  try {
    const [vendor, product] = await Promise.all([
      readText(executor, `${sysRoot}/class/dmi/id/sys_vendor`),
      readText(executor, `${sysRoot}/class/dmi/id/product_name`),
    ]);
    return { vendor, product };
  } catch {
    // Unreadable DMI is normal on many hosts; classifyVirt then relies on the cpuinfo flag.
    return null;
  }
}
