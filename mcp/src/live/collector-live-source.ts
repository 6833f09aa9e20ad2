import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { buildCollector } from "../../../agent/src/build-collectors.ts";
import { type AgentConfig, configFromObject } from "../../../agent/src/config.ts";
import type { DeviceRow } from "../store/store.ts";
import type { LiveResult, LiveSource } from "./live-source.ts";
import { onlyFailures, partialOf } from "./partial-read.ts";

/** Rates (cpu %, bytes/s) need two samples; live reads wait this long between them. */
const RATE_WINDOW_MS = 1_000;

export interface CollectorLiveSourceOptions {
  /** Between the two samples of a rate; default 1 s. */
  rateWindowMs?: number;
  /**
   * An executor for a device without a remote target that is this machine (local-device.ts), for the
   * live-by-nature reads of executor(); null for any other device.
   */
  localExecutorFor?: (device: DeviceRow) => Executor | null;
}

/** Errors that mean the host itself could not be read, as opposed to one source on it failing. */
const HOST_LEVEL = new Set<string>([ErrorCode.HOST_UNREACHABLE, ErrorCode.HOST_KEY_MISMATCH]);

/**
 * A LiveSource that runs the agent's own collectors over an executor reaching the device. The
 * device's `live_config` (agent.json's domains and roots) configures them as its agent is configured.
 */
export class CollectorLiveSource implements LiveSource {
  constructor(
    private readonly executorFor: (device: DeviceRow) => Executor | null,
    private readonly onClose: () => Promise<void> = async () => {},
    readonly stats: () => { connectsTotal: number; open: number } = () => ({ connectsTotal: 0, open: 0 }),
    private readonly options: CollectorLiveSourceOptions = {},
  ) {}

  canReach(device: DeviceRow): boolean {
    return this.executorFor(device) !== null;
  }

  executor(device: DeviceRow): Executor {
    const executor = this.executorFor(device) ?? this.options.localExecutorFor?.(device) ?? null;
    if (executor === null) {
      throw new AppError(
        ErrorCode.HOST_UNREACHABLE,
        `${device.hostname} has no SSH target; set one with: bun mcp/src/cli.ts set-target ${device.hostname} --host HOST --user USER (or, if the MCP server runs on ${device.hostname}, set MCP_LOCAL_DEVICE=${device.hostname})`,
        { details: { device: device.hostname } },
      );
    }
    return executor;
  }

  async collect<D extends Domain>(device: DeviceRow, domain: D): Promise<LiveResult<D>> {
    // Stored domains fall back only to a remote target (canReach): this machine's own device has its
    // agent for those; the local executor serves executor()'s live-by-nature reads alone.
    const executor = this.executorFor(device) ?? this.executor(device);
    const collector = buildCollector(domain, agentConfigOf(device), executor);
    if (collector.prime !== undefined) {
      await collector.prime();
      await Bun.sleep(this.options.rateWindowMs ?? RATE_WINDOW_MS);
    }
    const result = await collector.collect();
    // A collector turns failures into data; a host-level one (the connection itself) must surface
    // as a live failure, so the caller falls back to stored data with that error.
    const hostError =
      result.data === null
        ? result.errors.find((e) => HOST_LEVEL.has(e.code))
        : onlyFailures(result.data, HOST_LEVEL);
    if (hostError !== undefined) throw new AppError(hostError.code as ErrorCode, hostError.message);
    const partial = result.data === null ? null : partialOf(result.data, result.errors);
    return {
      data: result.data,
      errors: result.errors,
      ...(result.unavailable === undefined ? {} : { unavailable: result.unavailable }),
      ...(partial === null ? {} : { partial }),
      observedAt: new Date(),
    };
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** The device's agent settings, or CONFIG_INVALID naming what in its live_config is wrong. */
export function agentConfigOf(device: DeviceRow): AgentConfig {
  try {
    return configFromObject({ ...device.live_config, host: device.hostname });
  } catch (err) {
    const e = toAppError(err);
    throw new AppError(ErrorCode.CONFIG_INVALID, `live_config of ${device.hostname}: ${e.message}`);
  }
}
