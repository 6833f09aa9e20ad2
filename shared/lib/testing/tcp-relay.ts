import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpRelay {
  host: string;
  port: number;
  /** Connections relayed so far. */
  readonly accepted: number;
  /** Closes every relayed connection at once and keeps listening: a transport blip. */
  cut(): void;
  /**
   * Forwards nothing more either way and closes nothing, for open and new connections alike: a peer
   * that vanished without a word (its host lost power, a cable pulled), which TCP alone notices late.
   */
  partition(): void;
  close(): Promise<void>;
}

/**
 * Listens on `host` (e.g. the host end of a veth pair) and relays each connection to 127.0.0.1 at the
 * port `target()` names when the connection arrives: servers the test support binds to loopback become
 * reachable from a network namespace, and the relay's port is known before the server it leads to starts.
 */
export async function startTcpRelay(host: string, target: () => number): Promise<TcpRelay> {
  const open = new Set<{ destroy(): void }>();
  const relayed: { client: Socket; upstream: Socket }[] = [];
  let accepted = 0;
  let partitioned = false;
  const server: Server = createServer((client) => {
    accepted += 1;
    if (partitioned) {
      client.pause(); // accepted by the kernel, never answered
      open.add(client);
      client.on("error", () => open.delete(client));
      return;
    }
    const upstream = connect(target(), "127.0.0.1");
    open.add(client);
    open.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    relayed.push({ client, upstream });
    const close = (): void => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("relay: no TCP address");
  return {
    host,
    port: address.port,
    get accepted() {
      return accepted;
    },
    cut() {
      for (const socket of [...open]) socket.destroy();
    },
    partition() {
      partitioned = true;
      for (const { client, upstream } of relayed) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy(); // close() waits for open connections otherwise
      }),
  };
}
