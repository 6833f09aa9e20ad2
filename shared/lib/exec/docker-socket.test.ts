import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { dockerGetLocal, socketError } from "./docker-socket.ts";

let engine: TestPodman;
let id: string;

beforeAll(async () => {
  engine = await startTestPodman();
  id = await engine.podman("run", "-d", "--name", "ticker", engine.image, "sleep", "600");
}, 120_000);
afterAll(async () => {
  await engine?.destroy();
}, 60_000);

describe("dockerGetLocal (LocalExecutor.dockerGet) against podman's Docker API", () => {
  test("answers with status and body; an HTTP error is returned, not thrown", async () => {
    const ok = await dockerGetLocal("/containers/json?all=1", { socket: engine.socket });
    expect([ok.status, ok.truncated]).toEqual([200, false]);
    expect(JSON.parse(ok.body)[0].Id).toBe(id);
    const missing = await dockerGetLocal("/containers/nosuch/json", { socket: engine.socket });
    expect(missing.status).toBe(404);
  });

  test("encoding base64 carries the bytes as received", async () => {
    const text = await dockerGetLocal(`/containers/${id}/json`, { socket: engine.socket });
    const raw = await dockerGetLocal(`/containers/${id}/json`, { socket: engine.socket, encoding: "base64" });
    expect(Buffer.from(raw.body, "base64").toString("utf8")).toBe(text.body);
  });

  test("a body past maxBytes is cut and marked truncated", async () => {
    const res = await dockerGetLocal(`/containers/${id}/json`, { socket: engine.socket, maxBytes: 100 });
    expect([res.body.length, res.truncated]).toEqual([100, true]);
  });

  test("a stream that never ends is bounded by the timeout (COMMAND_TIMEOUT)", async () => {
    const streaming = dockerGetLocal(`/containers/${id}/stats?stream=true`, {
      socket: engine.socket,
      timeoutMs: 1_500,
    });
    await expect(streaming).rejects.toMatchObject({ code: ErrorCode.COMMAND_TIMEOUT });
  }, 30_000);

  test("no socket is COMMAND_MISSING; paths that could smuggle anything are refused", async () => {
    await expect(dockerGetLocal("/_ping", { socket: `${engine.socket}.none` })).rejects.toMatchObject({
      code: ErrorCode.COMMAND_MISSING,
    });
    for (const bad of ["containers/json", "/containers/json HTTP/1.1\r\nHost: x", "/../../etc", "/a b"]) {
      await expect(dockerGetLocal(bad, { socket: engine.socket })).rejects.toMatchObject({
        code: ErrorCode.INVALID_ARGUMENT,
      });
    }
    await expect(dockerGetLocal("/_ping", { socket: "relative.sock" })).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
    });
  });

  test("errno mapping: EACCES is UNAUTHORIZED (root here cannot be refused, so the errno is given)", () => {
    expect(socketError("/var/run/docker.sock", { code: "EACCES" })).toMatchObject({
      code: ErrorCode.UNAUTHORIZED,
      message: expect.stringContaining("docker group"),
    });
    expect(socketError("/s", { code: "ECONNREFUSED" }).code).toBe(ErrorCode.COMMAND_FAILED);
  });
});
