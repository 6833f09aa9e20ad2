/** Asks the kernel for a free TCP port on loopback. Another process could take it before we bind; tests accept that. */
export function freePort(): number {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const socket = await Bun.connect({ hostname: host, port, socket: { data() {} } });
      socket.end();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`, { cause: err });
      await Bun.sleep(50);
    }
  }
}
