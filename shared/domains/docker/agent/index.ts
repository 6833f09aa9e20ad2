import { boundedItemErrors } from "@infrastructor/lib/collect/bounded-item-errors.ts";
import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { keepValid } from "@infrastructor/lib/collect/keep-valid.ts";
import { type ItemsParse, itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { sourceError } from "@infrastructor/lib/collect/run-source.ts";
import { DEFAULT_DOCKER_SOCKET } from "@infrastructor/lib/exec/docker-socket.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { EnvelopeError } from "@infrastructor/shared/envelope.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { dockerDomain } from "../domain.ts";
import {
  type DockerContainer,
  DockerContainerSchema,
  type DockerData,
  DockerDataSchema,
  type DockerNetwork,
  DockerNetworkSchema,
  type SourceError,
} from "../schema.ts";
import { attachNetworkMembers } from "./attach-networks.ts";
import type { ContainerInfo } from "./fields.ts";
import { parseContainerList } from "./parse-containers.ts";
import { mergeDetails, parseInspect } from "./parse-inspect.ts";
import { parseNetworks } from "./parse-networks.ts";
import { type CpuCounters, parseStats } from "./parse-stats.ts";
import { containerPath, type DockerApiOptions, dockerGet } from "./read.ts";

export interface DockerCollectorOptions {
  executor: Executor;
  /** The Engine API's unix socket: docker's, or podman's (`podman system service`). */
  socket?: string;
  /** Bound on each API request. */
  timeout_ms?: number;
  /** Containers sent per sample (default and most 2,000); the rest counted in `truncated.containers`. */
  max_containers?: number;
}

const MAX_CONTAINERS = 2000;
/** Requests in flight at once: stats?stream=false takes the engine about a second per container. */
const CONCURRENCY = 6;
/** Errors that mean "no Docker here for us", not "Docker is broken": sent once as unavailable. */
const UNAVAILABLE_CODES: readonly string[] = [ErrorCode.COMMAND_MISSING, ErrorCode.UNAUTHORIZED];

export function createDockerCollector(options: DockerCollectorOptions): Collector<"docker"> {
  const { executor } = options;
  const api: DockerApiOptions = {
    socket: options.socket ?? DEFAULT_DOCKER_SOCKET,
    timeoutMs: options.timeout_ms ?? 10_000,
  };
  const get = (path: string): Promise<string> => dockerGet(executor, path, api);
  const maxContainers = Math.min(MAX_CONTAINERS, options.max_containers ?? MAX_CONTAINERS);
  /** Each running container's last CPU counters: podman gives no precpu_stats to diff against. */
  let cpuBaseline = new Map<string, CpuCounters>();

  async function readContainer(
    listed: ContainerInfo,
    nextBaseline: Map<string, CpuCounters>,
  ): Promise<DockerContainer | null> {
    let info = listed;
    let inspectError: SourceError | null = null;
    try {
      info = mergeDetails(listed, parseInspect(await get(containerPath(listed.id, "json"))));
    } catch (err) {
      const error = sourceError(err, ErrorCode.READ_FAILED);
      if (error.code === ErrorCode.NOT_FOUND) return null; // removed since the list: it is gone
      inspectError = error;
    }
    let stats: DockerContainer["stats"] = null;
    if (info.state === "running" || info.state === "paused" || info.state === "restarting") {
      try {
        const parsed = parseStats(
          await get(containerPath(listed.id, "stats?stream=false")),
          cpuBaseline.get(listed.id) ?? null,
        );
        if (parsed.cpu !== null) nextBaseline.set(listed.id, parsed.cpu);
        stats = parsed.stats;
      } catch (err) {
        stats = { ok: false, error: sourceError(err, ErrorCode.READ_FAILED) };
      }
    }
    return { ...info, stats, inspect_error: inspectError };
  }

  async function collect(): Promise<CollectResult<"docker">> {
    const errors: EnvelopeError[] = [];
    let listed: ContainerInfo[];
    let listErrors: ItemsParse<unknown>["errors"];
    try {
      ({ items: listed, errors: listErrors } = parseContainerList(await get("/containers/json?all=1")));
    } catch (err) {
      const error = toAppError(err);
      if (UNAVAILABLE_CODES.includes(error.code)) {
        return {
          data: null,
          errors: [],
          unavailable: { code: error.code, reason: error.message.slice(0, 1000) },
        };
      }
      return { data: null, errors: [{ ...sourceError(err, ErrorCode.READ_FAILED), source: "containers" }] };
    }
    const left = Math.max(0, listed.length - maxContainers);
    if (left > 0) {
      errors.push({
        code: ErrorCode.INTERNAL,
        message: `${listed.length} containers, only the first ${maxContainers} kept`,
        source: "containers",
      });
      listed = listed.slice(0, maxContainers);
    }
    const nextBaseline = new Map<string, CpuCounters>();
    const [containers, networks] = await Promise.all([
      mapLimit(listed, CONCURRENCY, (c) => readContainer(c, nextBaseline)),
      get("/networks").then(
        (text) => ({ ok: true as const, parsed: parseNetworks(text) }),
        (err: unknown) => ({ ok: false as const, error: sourceError(err, ErrorCode.READ_FAILED) }),
      ),
    ]);
    cpuBaseline = nextBaseline;
    // A container the hub would refuse (a field out of its bounds) is an item error, not the sample's end.
    const present = keepValid(
      containers.filter((c): c is DockerContainer => c !== null),
      DockerContainerSchema,
      (c) => c.name,
    );
    const data: DockerData = {
      containers: present.items,
      networks: networks.ok ? networksResult(networks.parsed, present.items) : networks,
      ...boundedItemErrors([...listErrors, ...present.errors]),
      ...(left > 0 ? { truncated: { containers: left } } : {}),
    };
    // Last line of defence: a sample the hub would reject is reported as an error, not sent.
    const checked = DockerDataSchema.safeParse(data);
    if (!checked.success) {
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      return { data: null, errors: [...errors, { code: ErrorCode.INTERNAL, message, source: "docker" }] };
    }
    return { data: checked.data, errors };
  }

  return { domain: "docker", defaultIntervalMs: dockerDomain.intervalMs, collect };
}

function networksResult(
  parsed: ItemsParse<DockerNetwork>,
  containers: readonly DockerContainer[],
): DockerData["networks"] {
  const valid = keepValid(parsed.items, DockerNetworkSchema, (n) => n.name);
  const result = itemsResult({ items: valid.items, errors: [...parsed.errors, ...valid.errors] });
  if (!result.ok) return result;
  const { value, ...errors } = result;
  return { ...errors, items: attachNetworkMembers(value, containers) };
}

/** Runs fn over items with at most `limit` in flight, results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
