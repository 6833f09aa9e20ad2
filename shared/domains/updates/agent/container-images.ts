import { hasNewerLocalImage } from "@infrastructor/domains/docker/agent/images.ts";
import { parseContainers } from "@infrastructor/domains/docker/agent/parse-containers.ts";
import {
  type DockerApiOptions,
  dockerGet,
  readLocalImages,
} from "@infrastructor/domains/docker/agent/read.ts";
import { sourceError } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { ContainerImagesResult } from "../schema.ts";

/**
 * For each running container: does its tag now name a newer image present on the host? Uses the
 * docker domain's reader and parsers (GET /containers/json, GET /images/json), never pulls.
 * undefined when the host has no Docker API at all: containers are then simply not part of its updates.
 */
export async function readContainerImages(
  executor: Executor,
  options: DockerApiOptions,
): Promise<ContainerImagesResult | undefined> {
  if (executor.dockerGet === undefined) return undefined;
  try {
    // Without all=1 the engine lists running containers only: a stopped one runs nothing outdated.
    const containers = parseContainers(await dockerGet(executor, "/containers/json", options));
    const images = await readLocalImages(executor, options);
    return {
      ok: true,
      containers: containers.map((c) => ({
        container: c.name,
        image: c.image.slice(0, 512),
        running_image_id: c.image_id,
        newer_image_present: hasNewerLocalImage(c, images) ? "yes" : "no",
      })),
    };
  } catch (err) {
    const e = toAppError(err, ErrorCode.COMMAND_FAILED);
    if (e.code === ErrorCode.COMMAND_MISSING) return undefined;
    return { ok: false, error: sourceError(e) };
  }
}
