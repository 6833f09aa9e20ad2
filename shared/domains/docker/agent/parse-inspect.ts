import { parseJson } from "@infrastructor/lib/collect/parse-json.ts";
import { type Inspect, InspectShape } from "./api-shapes.ts";
import { boundLabels } from "./bound-labels.ts";
import { composeFromLabels } from "./compose.ts";
import {
  attachmentsOf,
  type ContainerInfo,
  containerName,
  containerState,
  healthOf,
  isoOrNull,
  linksOf,
  mountsOf,
  nullIfEmpty,
} from "./fields.ts";

const SOURCE = "GET /containers/{id}/json";

/** What inspect adds to (or corrects in) the list's view of a container. Never its Config.Env. */
export type ContainerDetails = Pick<
  ContainerInfo,
  | "id"
  | "name"
  | "image_id"
  | "state"
  | "health"
  | "exit_code"
  | "restart_count"
  | "created_at"
  | "started_at"
  | "finished_at"
  | "mounts"
  | "networks"
  | "labels"
  | "labels_truncated"
  | "compose"
  | "links"
> & { image: string | null };

/** `GET /containers/{id}/json`. */
export function parseInspect(text: string): ContainerDetails {
  return fromInspect(parseJson(SOURCE, text, InspectShape));
}

function fromInspect(c: Inspect): ContainerDetails {
  const labels = c.Config?.Labels ?? {};
  const state = c.State;
  const stateName = containerState(state?.Status);
  return {
    id: c.Id,
    name: containerName(c.Name ? [c.Name] : [], c.Id),
    image: nullIfEmpty(c.Config?.Image),
    image_id: nullIfEmpty(c.Image),
    state: stateName,
    health: healthOf(state?.Health?.Status),
    // A running container's ExitCode is a stale 0: only a stopped one has exited with something.
    exit_code: stateName === "exited" || stateName === "dead" ? (state?.ExitCode ?? null) : null,
    restart_count: Math.max(0, Math.trunc(c.RestartCount ?? 0)),
    created_at: isoOrNull(c.Created, SOURCE, "Created"),
    started_at: isoOrNull(state?.StartedAt, SOURCE, "State.StartedAt"),
    finished_at: isoOrNull(state?.FinishedAt, SOURCE, "State.FinishedAt"),
    mounts: mountsOf(c.Mounts),
    networks: attachmentsOf(c.NetworkSettings?.Networks),
    // Secrets in labels (basic-auth hashes, API keys, webhook tokens) never leave the host; the rest
    // is bounded so one container cannot break or bloat the whole envelope.
    ...boundLabels(labels),
    compose: composeFromLabels(labels),
    links: linksOf(c.HostConfig?.Links, c.NetworkSettings?.Networks),
  };
}

/**
 * The container as reported: the list's fields, overridden by inspect's where inspect knows better
 * (state and health are read later, so they are fresher; empty inspect fields keep the list's value).
 */
export function mergeDetails(listed: ContainerInfo, details: ContainerDetails): ContainerInfo {
  const nonEmpty = <T>(a: T[], b: T[]): T[] => (a.length > 0 ? a : b);
  return {
    ...listed,
    name: details.name === details.id.slice(0, 12) ? listed.name : details.name,
    image: listed.image || (details.image ?? ""),
    image_id: details.image_id ?? listed.image_id,
    state: details.state === "unknown" ? listed.state : details.state,
    health: details.health,
    exit_code: details.exit_code,
    restart_count: details.restart_count,
    created_at: details.created_at ?? listed.created_at,
    started_at: details.started_at,
    finished_at: details.finished_at,
    mounts: nonEmpty(details.mounts, listed.mounts),
    networks: nonEmpty(details.networks, listed.networks),
    ...(Object.keys(details.labels).length > 0
      ? { labels: details.labels, labels_truncated: details.labels_truncated }
      : { labels: listed.labels, labels_truncated: listed.labels_truncated }),
    compose: details.compose ?? listed.compose,
    links: nonEmpty(details.links, listed.links),
  };
}
