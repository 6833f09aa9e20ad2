import { ErrorCode } from "@infrastructor/shared/errors.ts";
import type { SmartDrive, SmartReading } from "../schema.ts";
import { assess } from "./assess.ts";
import type { DeviceRef } from "./device-ref.ts";
import { decodeExitStatus } from "./exit-status.ts";
import type { SmartctlResult } from "./smartctl-result.ts";

/**
 * One device's entry in the sample, from what smartctl said and its exit status (the run's, which
 * the text format does not carry). Pure: the collector and its tests build drives the same way.
 */
export function toDrive(ref: DeviceRef, result: SmartctlResult, exitStatus: number | null): SmartDrive {
  const status = exitStatus ?? result.exit_status;
  const exit_flags = status === null ? [] : decodeExitStatus(status);
  const { device, type } = ref;
  if (result.kind === "standby") return { device, type, ok: true, power_mode: "standby" };
  if (result.kind === "no_data") {
    const code = exit_flags.includes("device_open_failed") ? ErrorCode.READ_FAILED : ErrorCode.COMMAND_FAILED;
    return {
      device,
      type,
      ok: false,
      error: { code, message: result.message.slice(0, 1000) },
      exit_status: status,
      exit_flags,
    };
  }
  // Bits 0 and 1 say smartctl did not read the device (command line refused, open or IDENTIFY failed):
  // whatever fields came with it are not a reading to judge.
  const unread = exit_flags.find((f) => f === "command_line_error" || f === "device_open_failed");
  if (unread !== undefined) {
    const code = unread === "device_open_failed" ? ErrorCode.READ_FAILED : ErrorCode.COMMAND_FAILED;
    const message = `smartctl exited ${status} (${unread}) without a usable reading`;
    return { device, type, ok: false, error: { code, message }, exit_status: status, exit_flags };
  }
  const { verdict, reasons } = assess(result.reading, exit_flags);
  return {
    device,
    type,
    ok: true,
    power_mode: "active",
    drive_id: driveId(ref, result.reading),
    exit_status: status,
    exit_flags,
    reading: result.reading,
    verdict,
    reasons,
  };
}

/** `<model>:<serial>` follows the disk across ports and reboots; without a serial, the path is all there is. */
export function driveId(ref: DeviceRef, reading: SmartReading): string {
  if (reading.serial === null) return `${ref.device}:${ref.type}`;
  return `${reading.model ?? "unknown"}:${reading.serial}`.slice(0, 300);
}
