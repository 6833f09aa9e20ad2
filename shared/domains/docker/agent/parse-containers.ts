import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { nameFrom, parseJsonItems } from "@infrastructor/lib/collect/parse-json-items.ts";
import { type ListedContainer, ListedContainerShape } from "./api-shapes.ts";
import { boundLabels } from "./bound-labels.ts";
import { composeFromLabels } from "./compose.ts";
import {
  attachmentsOf,
  type ContainerInfo,
  containerName,
  containerState,
  healthOf,
  isoFromUnix,
  linksOf,
  mountsOf,
  nullIfEmpty,
} from "./fields.ts";

const SOURCE = "GET /containers/json";

/**
 * `GET /containers/json?all=1`: every container, running or not, as far as the list tells. An element
 * that is not a container (wrong-typed fields) is an item error named by its name or id; the others
 * are read. A body that is not a JSON array (cut short, an error page) is PARSE_FAILED.
 */
export function parseContainerList(text: string): ItemsParse<ContainerInfo> {
  return parseJsonItems(text, {
    source: SOURCE,
    element: ListedContainerShape,
    // Names only when it is the list it should be: a damaged `"Names": "x"` would name it "x".
    name: (raw) => {
      const names = (raw as { Names?: unknown } | null)?.Names;
      const first = Array.isArray(names) && typeof names[0] === "string" ? names[0] : null;
      return first?.replace(/^\//, "") || nameFrom(raw, "Id");
    },
    convert: fromListed,
  });
}

/** The readable containers alone, for callers with no place for item errors (the updates domain). */
export function parseContainers(text: string): ContainerInfo[] {
  return parseContainerList(text).items;
}

function fromListed(c: ListedContainer): ContainerInfo {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    name: containerName(c.Names, c.Id),
    image: c.Image ?? "",
    image_id: nullIfEmpty(c.ImageID),
    state: containerState(c.State),
    status: (c.Status ?? "").slice(0, 255),
    // The list has health only inside Status ("Up 2 hours (healthy)"); inspect has it as a field.
    health: healthOf(
      /\((healthy|unhealthy|health: starting)\)/.exec(c.Status ?? "")?.[1]?.replace("health: ", ""),
    ),
    exit_code: null,
    restart_count: 0,
    created_at: isoFromUnix(c.Created),
    started_at: null,
    finished_at: null,
    ports: (c.Ports ?? []).map((p) => ({
      container_port: p.PrivatePort,
      host_port: p.PublicPort ?? null,
      host_ip: nullIfEmpty(p.IP),
      protocol: (p.Type ?? "tcp").toLowerCase(),
    })),
    mounts: mountsOf(c.Mounts),
    networks: attachmentsOf(c.NetworkSettings?.Networks),
    // Secrets in labels (basic-auth hashes, API keys, webhook tokens) never leave the host; the rest
    // is bounded so one container cannot break or bloat the whole envelope.
    ...boundLabels(labels),
    compose: composeFromLabels(labels),
    // The list shows an endpoint's links; HostConfig.Links only comes with inspect.
    links: linksOf(null, c.NetworkSettings?.Networks),
  };
}
