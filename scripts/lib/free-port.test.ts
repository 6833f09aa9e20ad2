import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { freePort } from "./free-port.ts";

test("ports come from below the ephemeral range, each once, and a server can bind them", () => {
  const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  const ports = Array.from({ length: 50 }, () => freePort());
  expect(new Set(ports).size).toBe(ports.length);
  for (const port of ports) {
    expect(port).toBeLessThan(low);
    expect(port).toBeGreaterThanOrEqual(20_000);
  }
  const server = Bun.listen({ hostname: "127.0.0.1", port: ports[0] as number, socket: { data() {} } });
  expect(server.port).toBe(ports[0] as number);
  server.stop(true);
});
