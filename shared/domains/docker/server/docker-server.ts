import type { ServerDomain } from "../../server-domain.ts";
import { dockerHealth } from "./health.ts";
import { getContainerDetails } from "./tools/get-container-details.ts";
import { getContainerLogs } from "./tools/get-container-logs.ts";
import { getServiceDependencies } from "./tools/get-service-dependencies.ts";
import { listContainers } from "./tools/list-containers.ts";
import { listDockerNetworks } from "./tools/list-docker-networks.ts";
import { dockerWriter } from "./writer.ts";

/** The docker domain's server half: how its envelopes reach the tables, the MCP tools that read them, and its health rules. */
export const dockerServer = {
  domain: "docker",
  writer: dockerWriter,
  tools: [listContainers, getContainerDetails, getContainerLogs, getServiceDependencies, listDockerNetworks],
  health: dockerHealth,
} satisfies ServerDomain<"docker">;
