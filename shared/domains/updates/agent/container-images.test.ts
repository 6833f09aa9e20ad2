import { describe, expect, test } from "bun:test";
import type { DockerResponse, Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { readContainerImages } from "./container-images.ts";

// Handwritten, in the Docker Engine API's documented shapes (GET /containers/json, GET /images/json):
// `web` runs nginx:1.27 as sha256:aaa, but nginx:1.27 was pulled again and now names sha256:bbb;
// `db` runs postgres:16, still the image its tag names; `pinned` is pinned by digest.
const CONTAINERS = JSON.stringify([
  {
    Id: "1111",
    Names: ["/web"],
    Image: "nginx:1.27",
    ImageID: "sha256:aaa",
    State: "running",
    Status: "Up",
    Labels: {},
  },
  {
    Id: "2222",
    Names: ["/db"],
    Image: "postgres:16",
    ImageID: "sha256:ccc",
    State: "running",
    Status: "Up",
    Labels: {},
  },
  {
    Id: "3333",
    Names: ["/pinned"],
    Image: "redis@sha256:ddd",
    ImageID: "sha256:ddd",
    State: "running",
    Status: "Up",
    Labels: {},
  },
]);
const IMAGES = JSON.stringify([
  { Id: "sha256:bbb", RepoTags: ["nginx:1.27"], Created: 1_764_000_000 },
  { Id: "sha256:aaa", RepoTags: ["<none>:<none>"], Created: 1_760_000_000 },
  { Id: "sha256:ccc", RepoTags: ["postgres:16"], Created: 1_762_000_000 },
]);

/** A real Executor over canned API answers: the Docker engine itself is tested in the docker domain. */
function apiExecutor(answer: (path: string) => DockerResponse | Error): Executor {
  const local = new LocalExecutor();
  return Object.assign(Object.create(local) as Executor, {
    async dockerGet(path: string): Promise<DockerResponse> {
      const a = answer(path);
      if (a instanceof Error) throw a;
      return a;
    },
  });
}

const options = { socket: "/var/run/docker.sock", timeoutMs: 1000 };

describe("readContainerImages", () => {
  test("a container whose tag now names another image has a newer one present; a pinned one never", async () => {
    const executor = apiExecutor((path) => ({
      status: 200,
      truncated: false,
      body: path.startsWith("/containers/json") ? CONTAINERS : IMAGES,
    }));
    const result = await readContainerImages(executor, options);
    expect(result).toEqual({
      ok: true,
      containers: [
        { container: "web", image: "nginx:1.27", running_image_id: "sha256:aaa", newer_image_present: "yes" },
        { container: "db", image: "postgres:16", running_image_id: "sha256:ccc", newer_image_present: "no" },
        {
          container: "pinned",
          image: "redis@sha256:ddd",
          running_image_id: "sha256:ddd",
          newer_image_present: "no",
        },
      ],
    });
  });

  test("no Docker API on the host: the field is left out, not an error", async () => {
    const missing = apiExecutor(() => new AppError(ErrorCode.COMMAND_MISSING, "no Docker API socket"));
    expect(await readContainerImages(missing, options)).toBeUndefined();
    const noApi = Object.assign(Object.create(new LocalExecutor()) as Executor, { dockerGet: undefined });
    expect(await readContainerImages(noApi, options)).toBeUndefined();
    // and this machine, which has no docker socket at that path
    expect(
      await readContainerImages(new LocalExecutor(), { ...options, socket: "/nonexistent/docker.sock" }),
    ).toBeUndefined();
  });

  test("an engine that answers with an error is data: ok false with its code", async () => {
    const failing = apiExecutor(() => ({
      status: 500,
      truncated: false,
      body: '{"message":"engine on fire"}',
    }));
    const result = await readContainerImages(failing, options);
    expect(result).toMatchObject({ ok: false, error: { code: "COMMAND_FAILED" } });
    expect(result?.ok === false && result.error.message).toContain("engine on fire");
  });
});
