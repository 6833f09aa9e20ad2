import { z } from "zod";
import { ageSeconds } from "../../answer/provenance.ts";
import type { DeviceRow } from "../../store/store.ts";

/** A device as list_devices and the infra://devices resource show it. */
export const DeviceSummarySchema = z.object({
  name: z.string(),
  reporting: z.boolean().describe("the agent reported within its system interval's freshness threshold"),
  last_seen: z.string().nullable(),
  last_seen_age_s: z.number().nullable(),
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string().nullable(),
  cpu_cores: z.number().nullable(),
  memory_total_bytes: z.number().nullable(),
  agent_version: z.string().nullable(),
  tags: z.array(z.string()),
  ssh: z.boolean().describe("live reads over SSH are possible"),
});
export type DeviceSummary = z.infer<typeof DeviceSummarySchema>;

export function summarizeDevice(device: DeviceRow, staleAfterMs: number, now: Date): DeviceSummary {
  const lastSeen = device.last_seen === null ? null : new Date(device.last_seen);
  return {
    name: device.hostname,
    reporting: lastSeen !== null && now.getTime() - lastSeen.getTime() <= staleAfterMs,
    last_seen: lastSeen?.toISOString() ?? null,
    last_seen_age_s: ageSeconds(lastSeen, now),
    os: device.os,
    kernel: device.kernel,
    arch: device.arch,
    cpu_cores: device.cpu_cores,
    memory_total_bytes: device.memory_total_bytes,
    agent_version: device.agent_version,
    tags: device.tags,
    ssh: device.ssh_host !== null,
  };
}
