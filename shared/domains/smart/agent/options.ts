import type { DomainOptionsSpec } from "@infrastructor/agent/collectors/agent-domain.ts";
import { z } from "zod";

/**
 * `smartctl` needs root to open disks. Either the agent runs as root, or a narrow sudo rule allows
 * exactly smartctl (`sudo: true`; see README), or the binary gets CAP_SYS_RAWIO/CAP_SYS_ADMIN.
 */
export const smartOptions = {
  schema: z.strictObject({
    smartctl_path: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^-\s]\S*$/)
      .default("smartctl"),
    sudo: z.boolean().default(false),
    timeout_s: z.number().min(1).max(600).default(60),
  }),
  env: [
    { env: "INFRA_SMART_SMARTCTL_PATH", key: "smartctl_path", kind: "string" },
    { env: "INFRA_SMART_SUDO", key: "sudo", kind: "boolean" },
  ],
} satisfies DomainOptionsSpec;
