import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { DockerData } from "@infrastructor/shared/schemas/docker.ts";
import type { Provenance } from "../../answer/provenance.ts";
import type { DomainAnswer, LiveMode, ReadEvents } from "../../domain-reader.ts";
import type { ToolContext } from "../tool.ts";

export interface DockerOnDevice {
  answer: DomainAnswer<"docker">;
  data: DockerData;
  provenance: Provenance;
}

/** One device's docker domain (stored first, live when stale and reachable), or the error that explains its absence. */
export async function readDocker(
  ctx: ToolContext,
  deviceName: string,
  mode: LiveMode = "auto",
): Promise<DockerOnDevice> {
  const device = await ctx.store.device(deviceName);
  const answer = await ctx.domains.read(device, "docker", mode, readEvents(ctx));
  return { answer, data: requireDocker(answer), provenance: answer.provenance };
}

/** Live fallbacks reported to the client: a log message before each, progress after each. */
export function readEvents(ctx: ToolContext): ReadEvents {
  return {
    progress: (done, total, host) =>
      void ctx.progress(done, total, `read docker live on ${host}`).catch(() => undefined),
    fallingBack: (host, _domain, reason) =>
      void ctx.notify("info", `docker on ${host}: ${reason}, reading it live`).catch(() => undefined),
  };
}

/**
 * The data, or an AppError: the domain's own code when it is unavailable there (COMMAND_MISSING: no
 * Docker socket; UNAUTHORIZED), NOT_FOUND when nothing was ever collected, the collector's error when
 * every read failed.
 */
export function requireDocker(answer: DomainAnswer<"docker">): DockerData {
  assertDocker(answer);
  if (answer.data === null) {
    throw new AppError(ErrorCode.INTERNAL, "the docker payload was not loaded (read with load=status)");
  }
  return answer.data;
}

/** requireDocker's checks alone: there is Docker data for the device, loaded or `deferred`. */
export function assertDocker(answer: DomainAnswer<"docker">): void {
  const host = answer.device.hostname;
  if (answer.data !== null || answer.deferred) return;
  if (answer.unavailable !== null) {
    throw new AppError(
      answer.unavailable.code as ErrorCode,
      `Docker is not available on ${host}: ${answer.unavailable.reason}`,
      { details: { device: host, provenance: answer.provenance } },
    );
  }
  if (answer.status === "missing") {
    const live = answer.provenance.live_error;
    throw new AppError(
      live === undefined ? ErrorCode.NOT_FOUND : (live.code as ErrorCode),
      `no Docker data has been collected for ${host} yet${live === undefined ? "" : `; a live read failed: ${live.message}`}`,
      { details: { device: host } },
    );
  }
  const first = answer.errors[0];
  throw new AppError(
    (first?.code as ErrorCode | undefined) ?? ErrorCode.COMMAND_FAILED,
    `the Docker API on ${host} could not be read: ${first?.message ?? "no data"}`,
    { details: { device: host, errors: answer.errors, provenance: answer.provenance } },
  );
}

/** Docker's short id, as `docker ps` shows it. */
export function shortId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
