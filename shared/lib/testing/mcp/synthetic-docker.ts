import type { DockerContainer, DockerData } from "@infrastructor/domains/docker/schema.ts";

/**
 * Synthetic docker data shaped like the docker collector's output, for volume (bench/mcp) and for
 * container states no captured fixture holds at once (restarting, dead, paused, created). Written by
 * hand, not captured: the collector's parsers are tested against the captured fixtures.
 */
const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** `count` containers as the docker collector reports them: compose pairs, ports, a network, stats. */
export function dockerData(device: number, count: number): DockerData {
  const containers: DockerContainer[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${hex(device, 8)}${hex(i, 8)}${"ab".repeat(24)}`;
    const service = i % 2 === 0 ? `app${i}` : `db${i - 1}`;
    containers.push({
      id,
      name: `stack${Math.floor(i / 2)}-${service}-1`,
      image: i % 2 === 0 ? "ghcr.io/example/app:1.4" : "postgres:16",
      image_id: `sha256:${"cd".repeat(32)}`,
      state: i % 17 === 5 ? "exited" : "running",
      status: i % 17 === 5 ? "Exited (1) 2 hours ago" : "Up 3 days",
      health: i % 13 === 7 ? "unhealthy" : "healthy",
      exit_code: i % 17 === 5 ? 1 : 0,
      restart_count: i % 11,
      created_at: "2026-11-20T10:00:00Z",
      started_at: "2026-11-22T10:00:00Z",
      finished_at: null,
      ports:
        i % 2 === 0
          ? [{ container_port: 8080, host_port: 10_000 + i, host_ip: "0.0.0.0", protocol: "tcp" }]
          : [],
      mounts: [
        {
          type: "volume",
          name: `data${i}`,
          source: `/var/lib/docker/volumes/data${i}`,
          destination: "/data",
          access: "rw",
        },
      ],
      networks: [
        {
          network: `stack${Math.floor(i / 2)}_default`,
          ip_address: `172.20.${Math.floor(i / 2)}.${(i % 2) + 2}`,
          ipv6_address: null,
          gateway: `172.20.${Math.floor(i / 2)}.1`,
          mac_address: null,
        },
      ],
      labels: {
        "com.docker.compose.project": `stack${Math.floor(i / 2)}`,
        "com.docker.compose.service": service,
      },
      compose: {
        project: `stack${Math.floor(i / 2)}`,
        service,
        working_dir: `/srv/stack${Math.floor(i / 2)}`,
        config_files: [`/srv/stack${Math.floor(i / 2)}/compose.yaml`],
        depends_on: i % 2 === 0 ? [{ service: `db${i}`, condition: "service_healthy" }] : [],
      },
      stats: {
        ok: true,
        cpu_pct: (i * 7) % 100,
        mem_used_bytes: 100_000_000 + i,
        mem_limit_bytes: 2_000_000_000,
        net_rx_bytes: 1_000_000 * i,
        net_tx_bytes: 500_000 * i,
        block_read_bytes: 0,
        block_write_bytes: 0,
        pids: 12,
      },
      links: [],
      inspect_error: null,
    });
  }
  const networks = Array.from({ length: Math.ceil(count / 2) }, (_, s) => ({
    id: `${hex(device, 8)}${hex(s, 8)}${"ef".repeat(24)}`,
    name: `stack${s}_default`,
    driver: "bridge",
    scope: "local",
    subnets: [`172.20.${s}.0/24`],
    gateways: [`172.20.${s}.1`],
    containers: containers
      .filter((c) => c.networks[0]?.network === `stack${s}_default`)
      .map((c) => ({
        id: c.id,
        name: c.name,
        ipv4_address: c.networks[0]?.ip_address ?? null,
        ipv6_address: null,
      })),
  }));
  return { containers, networks: { ok: true, items: networks } };
}
