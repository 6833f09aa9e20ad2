import type { DomainOptionsSpec } from "@infrastructor/agent/collectors/agent-domain.ts";
import { z } from "zod";

/**
 * Snapshots are listed less often than pools: sanoid-style hosts keep thousands, `zfs list -t snapshot`
 * takes seconds there, and they change on the scale of the snapshot schedule (15 min at the finest).
 */
export const zfsOptions = {
  schema: z.strictObject({
    snapshot_interval_s: z.number().min(0).max(86_400).default(900),
    timeout_s: z.number().min(1).max(600).default(60),
  }),
  env: [
    { env: "INFRA_ZFS_SNAPSHOT_INTERVAL_S", key: "snapshot_interval_s", kind: "number" },
    { env: "INFRA_ZFS_TIMEOUT_S", key: "timeout_s", kind: "number" },
  ],
} satisfies DomainOptionsSpec;
