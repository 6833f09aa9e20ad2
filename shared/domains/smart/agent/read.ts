import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import { sourceError } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { SmartDrive, SmartDriveFailed } from "../schema.ts";
import { checkDeviceRef, type DeviceRef } from "./device-ref.ts";
import { parseSmartctlJson } from "./parse-json.ts";
import { parseScan, type ScanResult } from "./parse-scan.ts";
import { parseSmartctlText } from "./parse-text.ts";
import { toDrive } from "./to-drive.ts";

export type SmartFormat = "json" | "text";

export interface SmartctlRunner {
  executor: Executor;
  /** How smartctl is started: ["smartctl"], or ["sudo", "-n", "/usr/sbin/smartctl"] under a sudo rule. */
  command: readonly string[];
  timeoutMs: number;
}

/** `-a -j` of a SATA disk is ~40 KiB, `-x` ~100 KiB: 2 MiB only stops a runaway. */
const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

/**
 * Lists the disks with `--scan-open -j`. smartmontools < 7 does not know `-j` (it prints
 * "UNRECOGNIZED OPTION"): then the text scan, and every device is read in text too.
 */
export async function scanDevices(r: SmartctlRunner): Promise<{ format: SmartFormat; scan: ScanResult }> {
  const json = await r.executor.run([...r.command, "--scan-open", "-j"], runOptions(r));
  if (json.stdout.trimStart().startsWith("{")) return { format: "json", scan: parseScan(json.stdout) };
  if (!/UNRECOGNIZED OPTION/i.test(json.stdout + json.stderr)) throw commandFailed("--scan-open -j", json);
  const text = await r.executor.run([...r.command, "--scan-open"], runOptions(r));
  if (text.exitCode !== 0 && text.stdout.trim() === "") throw commandFailed("--scan-open", text);
  return { format: "text", scan: parseScan(text.stdout) };
}

/**
 * Reads one device without waking it (`-n standby`). Never throws: a missing answer, a timeout or an
 * unreadable output is the drive's `{ ok: false, error }`.
 */
export async function readDrive(r: SmartctlRunner, format: SmartFormat, ref: DeviceRef): Promise<SmartDrive> {
  try {
    const { device, type } = checkDeviceRef(ref);
    const what = format === "json" ? ["-a", "-j"] : ["-i", "-H", "-A"];
    const run = await r.executor.run(
      [...r.command, ...what, "-n", "standby", "-d", type, device],
      runOptions(r),
    );
    if (run.truncated) {
      throw new AppError(ErrorCode.PARSE_FAILED, `smartctl printed more than ${MAX_OUTPUT_BYTES} bytes`);
    }
    if (run.stdout.trim() === "") throw commandFailed(`-d ${type} ${device}`, run);
    const parsed = format === "json" ? parseSmartctlJson(run.stdout) : parseSmartctlText(run.stdout);
    return toDrive(ref, parsed, run.exitCode);
  } catch (err) {
    return { ...ref, ok: false, error: driveError(ref, err), exit_status: null, exit_flags: [] };
  }
}

/** The drive's item error, with the line and excerpt a parser named (PARSE_FAILED). */
function driveError(ref: DeviceRef, err: unknown): SmartDriveFailed["error"] {
  const { line, excerpt } = itemError({ name: ref.device, line: null, text: "" }, err).error;
  const error = sourceError(err);
  return line === null && excerpt === null ? error : { ...error, line, excerpt };
}

function runOptions(r: SmartctlRunner): { timeoutMs: number; maxOutputBytes: number } {
  return { timeoutMs: r.timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES };
}

function commandFailed(args: string, run: { exitCode: number; stderr: string; stdout: string }): AppError {
  const said = (run.stderr.trim() || run.stdout.trim()).split("\n").slice(0, 3).join(" ").slice(0, 300);
  return new AppError(
    ErrorCode.COMMAND_FAILED,
    `smartctl ${args} exited ${run.exitCode}: ${said || "no output"}`,
    {
      details: { exit_code: run.exitCode },
    },
  );
}
