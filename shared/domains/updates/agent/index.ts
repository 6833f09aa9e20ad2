import { join } from "node:path";
import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { updatesDomain } from "../domain.ts";
import { type PackageManager, type Reboot, UpdatesDataSchema } from "../schema.ts";
import { readContainerImages } from "./container-images.ts";
import { detectManager, readPending, readReboot } from "./read.ts";

export interface UpdatesCollectorOptions {
  executor: Executor;
  /** The Docker API socket (the docker domain's setting), for the running containers' images. */
  dockerSocket?: string;
  /** Where the host's `/` is visible (`/`, or e.g. `/host` in a container): reboot-required is under var/run. */
  hostRoot?: string;
}

const DOCKER_TIMEOUT_MS = 10_000;

export const UPDATES_INTERVAL_MS = updatesDomain.intervalMs;

export function createUpdatesCollector(options: UpdatesCollectorOptions): Collector<"updates"> {
  const { executor, hostRoot = "/", dockerSocket = "/var/run/docker.sock" } = options;
  const runDir = join(hostRoot, "var", "run");
  let manager: PackageManager | null = null;

  async function reboot(found: PackageManager, errors: EnvelopeError[]): Promise<Reboot> {
    try {
      return await readReboot(executor, runDir, found);
    } catch (err) {
      const e = toAppError(err, ErrorCode.READ_FAILED);
      errors.push({ code: e.code, message: e.message.slice(0, 1000), source: "reboot-required" });
      return { required: "unknown", packages: [] };
    }
  }

  async function collect(): Promise<CollectResult<"updates">> {
    // Detected until found, then kept: a host does not change package manager between polls.
    manager ??= await detectManager(executor);
    if (manager === null) {
      return {
        data: null,
        errors: [],
        unavailable: {
          code: ErrorCode.COMMAND_MISSING,
          reason: "none of apt, dnf, pacman, apk is installed",
        },
      };
    }
    const errors: EnvelopeError[] = [];
    const [pending, rebootState, containerImages] = await Promise.all([
      readPending(executor, manager),
      reboot(manager, errors),
      readContainerImages(executor, { socket: dockerSocket, timeoutMs: DOCKER_TIMEOUT_MS }),
    ]);
    const checked = UpdatesDataSchema.safeParse({
      manager,
      pending,
      reboot: rebootState,
      ...(containerImages ? { container_images: containerImages } : {}),
    });
    if (!checked.success) {
      // Last line of defence: never send what the hub would reject (e.g. more than 10,000 packages).
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      errors.push({ code: ErrorCode.INTERNAL, message, source: "updates" });
      return { data: null, errors };
    }
    return { data: checked.data, errors };
  }

  return { domain: "updates", defaultIntervalMs: UPDATES_INTERVAL_MS, collect };
}
