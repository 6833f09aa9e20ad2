import type { ServerDomain } from "../../server-domain.ts";
import { getContainerDetails } from "./tools/get-container-details.ts";
import { getContainerLogs } from "./tools/get-container-logs.ts";
import { getServiceDependencies } from "./tools/get-service-dependencies.ts";
import { listContainers } from "./tools/list-containers.ts";
import { listDockerNetworks } from "./tools/list-docker-networks.ts";
import { dockerWriter } from "./writer.ts";

/** The docker domain's server half: how its envelopes reach the tables, and the MCP tools that read them. */
export const dockerServer = {
  domain: "docker",
  writer: dockerWriter,
  tools: [listContainers, getContainerDetails, getContainerLogs, getServiceDependencies, listDockerNetworks],
} satisfies ServerDomain<"docker">;
