import type { ParseSources } from "@infrastructor/agent/collectors/agent-domain.ts";
import { parseImageList } from "./images.ts";
import { parseContainerList } from "./parse-containers.ts";
import { parseInspect } from "./parse-inspect.ts";
import { parseNetworks } from "./parse-networks.ts";
import { parseStats } from "./parse-stats.ts";

/** `agent parse docker <source> < FILE`: one parser per Docker Engine API response body. */
export const DOCKER_PARSE_SOURCES: ParseSources = {
  containers: { describe: "GET /containers/json?all=1", parse: parseContainerList },
  inspect: { describe: "GET /containers/{id}/json (Config.Env is dropped)", parse: parseInspect },
  stats: { describe: "GET /containers/{id}/stats?stream=false", parse: (text) => parseStats(text).stats },
  networks: { describe: "GET /networks", parse: parseNetworks },
  images: { describe: "GET /images/json", parse: parseImageList },
};
