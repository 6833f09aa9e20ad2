import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPodman, type TestPodman } from "@infrastructor/lib/testing/podman.ts";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { type AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { dockerGetLocal } from "../docker-socket.ts";
import { SshExecutor } from "./ssh-executor.ts";

let fx: SshFixture;
let podman: TestPodman;
let ssh: SshExecutor;

beforeAll(async () => {
  [fx, podman] = await Promise.all([startSshFixture(), startTestPodman()]);
  ssh = new SshExecutor(fx.pool(), fx.target);
  await podman.podman(
    "run",
    "-d",
    "--name",
    "parity",
    podman.image,
    "sh",
    "-c",
    "echo out-line; echo err-line >&2; sleep 300",
  );
});

afterAll(async () => {
  await podman.destroy();
  await fx.destroy();
});

test("the Docker API through the forwarded socket answers as it does locally", async () => {
  const remote = await ssh.dockerGet("/containers/json?all=1", { socket: podman.socket });
  const here = await dockerGetLocal("/containers/json?all=1", { socket: podman.socket });
  expect(remote.status).toBe(200);
  expect(remote.truncated).toBe(false);
  const names = (body: string) => (JSON.parse(body) as Array<{ Names: string[] }>).map((c) => c.Names).sort();
  expect(names(remote.body)).toEqual(names(here.body));
  expect(names(remote.body).flat()).toContain("/parity");
});

test("log frames arrive as the same bytes over SSH as locally (base64, not decoded text)", async () => {
  const path = "/containers/parity/logs?stdout=1&stderr=1";
  const options = { socket: podman.socket, encoding: "base64" as const };
  const remote = await ssh.dockerGet(path, options);
  const here = await dockerGetLocal(path, options);
  expect(remote.status).toBe(200);
  const bytes = Buffer.from(remote.body, "base64");
  expect(bytes.equals(Buffer.from(here.body, "base64"))).toBe(true);
  // The 8-byte frame header's first byte is the stream: 1 stdout, 2 stderr.
  expect(bytes[0]).toBe(1);
  expect(bytes.includes(Buffer.from("err-line"))).toBe(true);
});

test("an HTTP error status is returned, and the byte cap truncates", async () => {
  const missing = await ssh.dockerGet("/containers/no-such-container/json", { socket: podman.socket });
  expect(missing.status).toBe(404);
  const capped = await ssh.dockerGet("/containers/json?all=1", { socket: podman.socket, maxBytes: 10 });
  expect(capped.truncated).toBe(true);
  expect(capped.body.length).toBe(10);
});

test("no socket there: COMMAND_MISSING, like the local one; a bad path: INVALID_ARGUMENT", async () => {
  for (const get of [
    () => ssh.dockerGet("/_ping", { socket: "/nonexistent/docker.sock" }),
    () => dockerGetLocal("/_ping", { socket: "/nonexistent/docker.sock" }),
  ]) {
    const err = await get().then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as AppError).code).toBe(ErrorCode.COMMAND_MISSING);
  }
  const bad = await ssh.dockerGet("/_ping\r\nX: y", { socket: podman.socket }).catch((e: unknown) => e);
  expect((bad as AppError).code).toBe(ErrorCode.INVALID_ARGUMENT);
});
