import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { startTestSshd } from "@infrastructor/lib/testing/sshd.ts";
import { startTcpRelay, type TcpRelay } from "@infrastructor/lib/testing/tcp-relay.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { CollectorLiveSource } from "../../../../mcp/src/live/collector-live-source.ts";
import type { DeviceRow } from "../../../../mcp/src/store/store.ts";
import { SshExecutor } from "./ssh-executor.ts";

// The transport between the MCP server and a host fails now and then (a reset connection, a session
// sshd gives up on); a live read retries once through the pool instead of failing. The relay sits
// between client and sshd so the test can cut the connection while a command runs.
let fx: SshFixture;
let dir: string;

beforeAll(async () => {
  fx = await startSshFixture();
  dir = await mkdtemp(join(tmpdir(), "ssh-retry-"));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await fx.destroy();
}, 60_000);

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error("expected a rejection");
}

/** A command that marks each start in `runs`, then blocks until `gate` exists, then reads `file`. */
function gatedRead(name: string): { argv: string[]; runs: string; gate: string; file: string } {
  const runs = join(dir, `${name}.runs`);
  const gate = join(dir, `${name}.gate`);
  const file = join(dir, `${name}.txt`);
  const script = 'echo run >> "$1"; while [ ! -e "$2" ]; do sleep 0.05; done; cat "$3"';
  return { argv: ["sh", "-c", script, "sh", runs, gate, file], runs, gate, file };
}

async function startsOf(path: string): Promise<number> {
  return (await readFile(path, "utf8").catch(() => "")).split("\n").filter((l) => l === "run").length;
}

test("the connection cut while a command runs: the command runs again on a new connection and succeeds", async () => {
  const relay: TcpRelay = await startTcpRelay("127.0.0.1", () => fx.sshd.port);
  try {
    const pool = fx.pool();
    const ssh = new SshExecutor(pool, { ...fx.target, host: relay.host, port: relay.port }, 10_000, "reads");
    const read = gatedRead("cut");
    await writeFile(read.file, "the answer\n");
    const pending = ssh.run(read.argv, { timeoutMs: 60_000 });
    await waitFor("the command to start", async () => (await startsOf(read.runs)) === 1, 60_000);
    relay.cut();
    // The retry starts the command a second time over a new connection; then let it finish.
    await waitFor("the retried command to start", async () => (await startsOf(read.runs)) === 2, 60_000);
    await writeFile(read.gate, "");
    const result = await pending;
    expect(result.stdout).toBe("the answer\n");
    expect(result.exitCode).toBe(0);
    expect(ssh.retries).toBe(1);
    expect(pool.stats().connectsTotal).toBe(2);
    expect(relay.accepted).toBe(2);
  } finally {
    await relay.close();
  }
}, 120_000);

test("a command that may write is not run twice: the lost connection is the caller's error", async () => {
  const relay = await startTcpRelay("127.0.0.1", () => fx.sshd.port);
  try {
    const ssh = new SshExecutor(fx.pool(), { ...fx.target, host: relay.host, port: relay.port });
    const read = gatedRead("write");
    const pending = errorOf(ssh.run(read.argv, { timeoutMs: 60_000 }));
    await waitFor("the command to start", async () => (await startsOf(read.runs)) === 1, 60_000);
    relay.cut();
    const err = await pending;
    expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
    expect(err.details?.transport).toBe("no-exit-status");
    expect(ssh.retries).toBe(0);
    // Its own file reads still retry: the next one succeeds over a new connection.
    await writeFile(read.file, "still readable\n");
    expect(await ssh.readFile(read.file)).toBe("still readable\n");
    expect(await startsOf(read.runs)).toBe(1);
    await writeFile(read.gate, "");
  } finally {
    await relay.close();
  }
}, 120_000);

test("the transport stays down: HOST_UNREACHABLE after one retry, promptly", async () => {
  const relay = await startTcpRelay("127.0.0.1", () => fx.sshd.port);
  const pool = fx.pool({ connectTimeoutMs: 5_000 });
  const ssh = new SshExecutor(pool, { ...fx.target, host: relay.host, port: relay.port }, 10_000, "reads");
  expect((await ssh.run(["echo", "up"])).stdout).toBe("up\n");
  const read = gatedRead("down");
  const pending = errorOf(ssh.run(read.argv, { timeoutMs: 60_000 }));
  await waitFor("the command to start", async () => (await startsOf(read.runs)) === 1, 60_000);
  const started = Date.now();
  await relay.close(); // cuts the connection and stops listening: the retry's dial is refused
  const err = await pending;
  expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
  expect(err.message).toContain(`${relay.host}:${relay.port}`);
  expect(err.details?.reason).toBe("ECONNREFUSED");
  expect(ssh.retries).toBe(1);
  // Well under the command's own 60 s timeout: nothing waited for a deadline.
  expect(Date.now() - started).toBeLessThan(10_000);
  // The next read fails the same way at once, and does not hang either.
  const again = await errorOf(ssh.readFile("/proc/stat"));
  expect(again.code).toBe(ErrorCode.HOST_UNREACHABLE);
  await writeFile(read.gate, "");
}, 120_000);

test("a session killed before it printed anything is retried; a command's own exit 255 is not", async () => {
  const ssh = new SshExecutor(fx.pool(), fx.target, 10_000, "reads");
  const marker = join(dir, "killed-once");
  // The first run kills the session's processes above it (the login shell sshd started, and timeout(1))
  // with KILL, so the session ends by a signal with no output, as when the OOM killer picks it; the
  // second run finds the marker.
  const script = [
    'if [ -e "$1" ]; then echo second; exit 0; fi',
    ': > "$1"',
    "exec >/dev/null 2>&1",
    "login_shell=$(cut -d' ' -f4 /proc/$PPID/stat)",
    'kill -KILL "$PPID" "$login_shell"',
  ].join("\n");
  const r = await ssh.run(["sh", "-c", script, "sh", marker]);
  expect(r.stdout).toBe("second\n");
  expect(ssh.retries).toBe(1);
  const own = await ssh.run(["sh", "-c", "exit 255"]);
  expect(own.exitCode).toBe(255);
  expect(ssh.retries).toBe(1);
}, 60_000);

test("sshd allowing fewer sessions than the pool's channel cap: the pool holds to what sshd allows", async () => {
  // MaxSessions 2 under our cap of 8: the third channel is refused; before, that command failed.
  const strict = await startTestSshd({}, { maxSessions: 2 });
  try {
    const pool = fx.pool();
    const ssh = new SshExecutor(pool, {
      host: strict.host,
      port: strict.port,
      user: strict.user,
      keyPath: strict.keyPath,
    });
    const outs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => ssh.run(["sh", "-c", `sleep 0.2; echo ${i}`])),
    );
    expect(outs.map((o) => o.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
    expect(pool.stats().connectsTotal).toBe(1);
  } finally {
    await strict.destroy();
  }
}, 120_000);

test("a Docker API answer cut off by a lost connection is asked for again, not returned short", async () => {
  // A stand-in engine on a unix socket: the first request gets the headers and half the body, then
  // nothing (the test cuts the connection there); the second gets the whole answer.
  const socketPath = join(dir, "engine.sock");
  const body = JSON.stringify([{ Id: "abc", Names: ["/web"] }]);
  let requests = 0;
  const engine = Bun.listen({
    unix: socketPath,
    socket: {
      data(socket) {
        requests += 1;
        const head = `HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n`;
        if (requests === 1) socket.write(head + body.slice(0, 10));
        else socket.end(head + body);
      },
    },
  });
  const relay = await startTcpRelay("127.0.0.1", () => fx.sshd.port);
  try {
    const ssh = new SshExecutor(fx.pool(), { ...fx.target, host: relay.host, port: relay.port });
    const pending = ssh.dockerGet("/containers/json", { socket: socketPath, timeoutMs: 60_000 });
    await waitFor("the first request to reach the engine", () => requests === 1, 60_000);
    relay.cut();
    const res = await pending;
    expect(res).toEqual({ status: 200, body, truncated: false });
    expect(requests).toBe(2);
  } finally {
    engine.stop(true);
    await relay.close();
  }
}, 120_000);

test("a live read of a host whose transport went down: HOST_UNREACHABLE from the live source, no hang", async () => {
  const relay = await startTcpRelay("127.0.0.1", () => fx.sshd.port);
  const pool = fx.pool();
  const live = new CollectorLiveSource(
    () => new SshExecutor(pool, { ...fx.target, host: relay.host, port: relay.port }, 10_000, "reads"),
    () => pool.close(),
    () => pool.stats(),
    { rateWindowMs: 100 },
  );
  const device = { id: 1, hostname: "relayed", live_config: {} } as unknown as DeviceRow;
  const first = await live.collect(device, "system");
  expect(first.data?.process_count ?? 0).toBeGreaterThan(0);
  await relay.close();
  const started = Date.now();
  const err = await errorOf(live.collect(device, "system"));
  expect(err.code).toBe(ErrorCode.HOST_UNREACHABLE);
  expect(err.message).toContain(`${relay.host}:${relay.port}`);
  expect(Date.now() - started).toBeLessThan(20_000);
  // A domain made of per-source results (network) fails the same way, not as an answer of failures.
  const network = await errorOf(live.collect(device, "network"));
  expect(network.code).toBe(ErrorCode.HOST_UNREACHABLE);
}, 120_000);
