import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { MAX_ITEM_ERRORS } from "@infrastructor/shared/schemas/source-result.ts";
import { smartDomain } from "../domain.ts";
import { type SmartData, SmartDataSchema, type SmartDrive } from "../schema.ts";
import { readDrive, type SmartctlRunner, scanDevices } from "./read.ts";

export interface SmartCollectorOptions {
  executor: Executor;
  smartctl_path?: string;
  /** Run smartctl through `sudo -n` (a sudoers rule for exactly that binary). */
  sudo?: boolean;
  /** Per smartctl run: a disk that is spinning up or a slow USB bridge can take tens of seconds. */
  timeout_s?: number;
}

export const SMART_DEFAULT_INTERVAL_MS = smartDomain.intervalMs;

export function createSmartCollector(options: SmartCollectorOptions): Collector<"smart"> {
  const smartctl = options.smartctl_path ?? "smartctl";
  const runner: SmartctlRunner = {
    executor: options.executor,
    command: options.sudo ? ["sudo", "-n", smartctl] : [smartctl],
    timeoutMs: (options.timeout_s ?? 60) * 1000,
  };

  async function collect(): Promise<CollectResult<"smart">> {
    let scanned: Awaited<ReturnType<typeof scanDevices>>;
    try {
      scanned = await scanDevices(runner);
    } catch (err) {
      const e = toAppError(err, ErrorCode.COMMAND_FAILED);
      if (e.code === ErrorCode.COMMAND_MISSING) {
        return {
          data: null,
          errors: [],
          unavailable: { code: e.code, reason: `${e.message} (smartmontools)` },
        };
      }
      return {
        data: null,
        errors: [{ code: e.code, message: e.message.slice(0, 1000), source: "smartctl --scan-open" }],
      };
    }
    const errors: EnvelopeError[] = [];
    const drives: SmartDrive[] = [];
    const refs = new Set<string>();
    const ids = new Map<string, string>();
    // One at a time: parallel reads of disks behind one controller only queue up there anyway.
    for (const entry of scanned.scan.devices.slice(0, 128)) {
      const ref = { device: entry.device, type: entry.type };
      if (refs.has(`${ref.device} ${ref.type}`)) continue;
      refs.add(`${ref.device} ${ref.type}`);
      const drive =
        entry.open_error === null
          ? await readDrive(runner, scanned.format, ref)
          : ({
              ...ref,
              ok: false,
              error: { code: ErrorCode.READ_FAILED, message: entry.open_error.slice(0, 1000) },
              exit_status: null,
              exit_flags: [],
            } satisfies SmartDrive);
      if (drive.ok && drive.power_mode === "active") {
        const first = ids.get(drive.drive_id);
        if (first !== undefined) {
          // The same disk under a second path (a by-id link, a RAID passthrough): keep one reading.
          errors.push({
            code: ErrorCode.INTERNAL,
            message: `${ref.device} is the same drive as ${first}`,
            source: "smart",
          });
          continue;
        }
        ids.set(drive.drive_id, ref.device);
      }
      drives.push(drive);
    }
    const version = scanned.scan.version;
    const scanErrors = scanned.scan.errors.slice(0, MAX_ITEM_ERRORS);
    const data: SmartData =
      scanErrors.length === 0
        ? { smartctl_version: version, format: scanned.format, drives }
        : { smartctl_version: version, format: scanned.format, drives, item_errors: scanErrors };
    const checked = SmartDataSchema.safeParse(data);
    if (!checked.success) {
      errors.push({
        code: ErrorCode.INTERNAL,
        message: `sample fails its schema: ${checked.error.message}`.slice(0, 1000),
        source: "smart",
      });
      return { data: null, errors };
    }
    return { data: checked.data, errors };
  }

  return { domain: "smart", defaultIntervalMs: SMART_DEFAULT_INTERVAL_MS, collect };
}
