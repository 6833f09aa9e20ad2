import type { DockerContainer, DockerNetwork } from "../schema.ts";

/**
 * Fills each network's attached containers from the containers' own attachments (by network name),
 * for engines whose network list leaves them out (docker since API 1.28). A network that already
 * lists its containers (podman) is kept as the engine said.
 */
export function attachNetworkMembers(
  networks: readonly DockerNetwork[],
  containers: readonly DockerContainer[],
): DockerNetwork[] {
  return networks.map((network) => {
    if (network.containers.length > 0) return network;
    const members = containers.flatMap((c) =>
      c.networks
        .filter((a) => a.network === network.name)
        .map((a) => ({ id: c.id, name: c.name, ipv4_address: a.ip_address, ipv6_address: a.ipv6_address })),
    );
    return { ...network, containers: members };
  });
}
