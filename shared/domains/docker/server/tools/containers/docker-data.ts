import type { Provenance } from "@infrastructor/mcp/answer/provenance.ts";
import type { DomainAnswer, LiveMode, ReadEvents } from "@infrastructor/mcp/domain-reader.ts";
import { assertData, requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import type { ToolContext } from "@infrastructor/mcp/tools/tool.ts";
import type { DockerData } from "../../../schema.ts";

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

/** requireData for Docker: the data, or why there is none (COMMAND_MISSING: no socket there). */
export function requireDocker(answer: DomainAnswer<"docker">): DockerData {
  return requireData(answer, "Docker");
}

/** requireDocker's checks alone: there is Docker data for the device, loaded or `deferred`. */
export function assertDocker(answer: DomainAnswer<"docker">): void {
  assertData(answer, "Docker");
}

/** Docker's short id, as `docker ps` shows it. */
export function shortId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}
