import { readFileSync } from "node:fs";

/** The lowest port handed out: above the registered ports most services on a developer machine use. */
const LOWEST_PORT = 20_000;
/** Ports this process already handed out: a server a test stopped may be restarted on its port later. */
const handedOut = new Set<number>();

/**
 * A free TCP port on loopback for a server a test or the stack starts.
 *
 * It is taken below the kernel's ephemeral range: a port from port 0 is also what the kernel gives the
 * next outgoing connection, so on a busy machine a client socket (a collector's connection to
 * PostgreSQL, a reconnecting NATS client) could take it between this check and the server's bind, or
 * while a test has that server stopped. Below the range only another listener can, and it is checked.
 */
export function freePort(): number {
  const ceiling = ephemeralLow();
  for (let attempt = 0; ceiling - LOWEST_PORT > 1_000 && attempt < 200; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (ceiling - LOWEST_PORT));
    if (handedOut.has(port) || !bindable(port)) continue;
    handedOut.add(port);
    return port;
  }
  // A machine whose ephemeral range leaves no room below it: the kernel's choice is the best left.
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  handedOut.add(port);
  return port;
}

function bindable(port: number): boolean {
  try {
    Bun.listen({ hostname: "127.0.0.1", port, socket: { data() {} } }).stop(true);
    return true;
  } catch {
    return false;
  }
}

/** The first port of net.ipv4.ip_local_port_range (32768 unless the machine says otherwise). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
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
