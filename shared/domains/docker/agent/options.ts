import type { DomainOptionsSpec } from "@infrastructor/agent/collectors/agent-domain.ts";
import { DEFAULT_DOCKER_SOCKET } from "@infrastructor/lib/exec/docker-socket.ts";
import { z } from "zod";

/** `[domains.docker]` settings: where the Engine API socket is (podman's works too), and how long to wait. */
export const dockerOptions = {
  schema: z.strictObject({
    socket: z
      .string()
      .regex(/^\/[^\0]*$/, "an absolute path")
      .default(DEFAULT_DOCKER_SOCKET),
    timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
  }),
  env: [
    { env: "INFRA_DOCKER_SOCKET", key: "socket", kind: "string" },
    { env: "INFRA_DOCKER_TIMEOUT_MS", key: "timeout_ms", kind: "number" },
  ],
} satisfies DomainOptionsSpec;
