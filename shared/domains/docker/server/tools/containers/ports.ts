import type { DockerPort } from "../../../schema.ts";

/** `0.0.0.0:8080->80/tcp` as docker ps writes it, or `80/tcp` for an exposed, unpublished port. */
export function describePort(p: DockerPort): string {
  if (p.host_port === null) return `${p.container_port}/${p.protocol}`;
  return `${p.host_ip || "0.0.0.0"}:${p.host_port}->${p.container_port}/${p.protocol}`;
}
