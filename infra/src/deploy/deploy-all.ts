import { mapLimit } from "@infrastructor/lib/exec/map-limit.ts";
import type { DeployResult } from "./deploy-result.ts";
import { type DeployPhase, ProgressDisplay, type ProgressOutput } from "./progress-display.ts";

export type DeployOne = (
  device: string,
  progress: (phase: DeployPhase, detail?: string) => void,
) => Promise<DeployResult>;

/**
 * Deploys to every device with at most `concurrency` at once (a deploy uploads ~100 MiB and keeps an
 * SSH connection busy: two hundred at once would swamp the operator's uplink). Results keep the order
 * given; the display shows every host from the start, queued ones too.
 */
export async function deployAll(
  devices: readonly string[],
  concurrency: number,
  deployOne: DeployOne,
  out: ProgressOutput,
): Promise<DeployResult[]> {
  const display = new ProgressDisplay(devices, out);
  return await mapLimit(devices, concurrency, async (device) => {
    const result = await deployOne(device, (phase, detail) => display.update(device, phase, detail));
    display.update(
      device,
      result.outcome === "failed" ? "failed" : result.outcome === "rolled back" ? "rolled back" : "done",
      result.reason === "" ? result.outcome : result.reason,
    );
    return result;
  });
}
