import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { NetworkDataSchema } from "../schema.ts";
import { createNetworkCollector, NETWORK_INTERVAL_MS } from "./index.ts";

const executor = new LocalExecutor();
const testdata = (name: string): string => join(import.meta.dir, "testcases", name);

describe("network collector on this machine (real ip and ss)", () => {
  test("interfaces, routes, neighbours, listeners and DNS; tailscale and lldpctl absent are null", async () => {
    const collector = createNetworkCollector({ executor });
    expect(collector.defaultIntervalMs).toBe(NETWORK_INTERVAL_MS);
    const { data, errors, unavailable } = await collector.collect();
    expect(errors).toEqual([]);
    expect(unavailable).toBeUndefined();
    expect(NetworkDataSchema.parse(data)).toEqual(data as never);
    if (!data?.interfaces.ok || !data.routes.ok || !data.listening.ok || !data.dns.ok) {
      throw new Error(`a source failed: ${JSON.stringify(data)}`);
    }
    expect(data.interfaces.value.map((i) => i.name)).toContain("lo");
    expect(data.routes.value.length).toBeGreaterThan(0);
    expect(data.neighbours.ok).toBe(true);
    expect(data.dns.value.source).toBe("/etc/resolv.conf");
    expect(data.tailscale).toBeNull();
    expect(data.lldp).toBeNull();
  });

  test("a listener this test opens is reported", async () => {
    const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const { data } = await createNetworkCollector({ executor }).collect();
      const ports = data?.listening.ok ? data.listening.value : [];
      expect(ports).toContainEqual(
        expect.objectContaining({ protocol: "tcp", address: "127.0.0.1", port: server.port }),
      );
    } finally {
      server.stop(true);
    }
  });

  test("systemd-resolved's stub is followed to the upstream file", async () => {
    const { data } = await createNetworkCollector({
      executor,
      resolv: {
        resolvConf: testdata("handwritten-resolv-conf-resolved-stub/resolv-conf.txt"),
        resolvedUpstream: testdata("handwritten-resolv-conf-search-options/resolv-conf.txt"),
      },
    }).collect();
    expect(data?.dns).toMatchObject({
      ok: true,
      value: { servers: ["192.0.2.53", "2001:db8::53", "fe80::1"] },
    });
  });

  test("a failing tool is data: ss missing is {ok: false, COMMAND_MISSING}, the rest still collected", async () => {
    const { data } = await createNetworkCollector({ executor, tools: { ss: "ss-not-installed" } }).collect();
    expect(data?.listening).toMatchObject({ ok: false, error: { code: "COMMAND_MISSING" } });
    expect(data?.interfaces.ok).toBe(true);
  });

  test("a command that exits non-zero is COMMAND_FAILED as data", async () => {
    const { data } = await createNetworkCollector({ executor, tools: { tailscale: "false" } }).collect();
    expect(data?.tailscale).toMatchObject({ ok: false, error: { code: "COMMAND_FAILED" } });
  });

  test("without iproute2 the domain is unavailable, with the reason", async () => {
    const result = await createNetworkCollector({ executor, tools: { ip: "ip-not-installed" } }).collect();
    expect(result).toEqual({
      data: null,
      errors: [],
      unavailable: { code: "COMMAND_MISSING", reason: "ip-not-installed (iproute2) is not installed" },
    });
  });
});
