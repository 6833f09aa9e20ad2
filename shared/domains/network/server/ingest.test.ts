import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createNetworkCollector } from "@infrastructor/domains/network/agent/index.ts";
import { parseLldpctl } from "@infrastructor/domains/network/agent/parse-lldpctl.ts";
import { parseTailscaleStatus } from "@infrastructor/domains/network/agent/parse-tailscale.ts";
import type { NetworkData } from "@infrastructor/domains/network/schema.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

const testdata = (name: string): Promise<string> =>
  Bun.file(join(import.meta.dir, "../agent/testcases", name)).text();
let pipeline: Pipeline;
let sample: NetworkData;
const t0 = Date.now() - 3_600_000;

function envelope(seq: number, collectedAtMs: number, data: NetworkData): Envelope {
  return domainEnvelope("net1", "network", data, {
    seq,
    boot_id: "network-test",
    collected_at: new Date(collectedAtMs).toISOString(),
  });
}

beforeAll(async () => {
  pipeline = await startPipeline();
  // This machine's real ip/ss/resolv.conf, plus Tailscale and LLDP from the handwritten fixtures.
  const { data } = await createNetworkCollector({ executor: new LocalExecutor() }).collect();
  if (data === null) throw new Error("no network sample on this machine");
  sample = {
    ...data,
    tailscale: {
      ok: true,
      value: parseTailscaleStatus(await testdata("handwritten-tailscale-status/tailscale-status.json")).value,
    },
    lldp: {
      ok: true,
      value: parseLldpctl(await testdata("handwritten-lldpctl-two-interfaces/lldpctl.json")).items,
    },
  };
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

describe("network envelopes through NATS into the network tables", () => {
  test("every table holds what the newest envelope said; failed sources and older replays keep rows", async () => {
    const { sql } = pipeline;
    const js = pipeline.js;
    await publishEnvelopes(js, [envelope(1, t0 + 60_000, sample)]);
    await waitFor(
      "network_state",
      async () => {
        const [n] = await sql`SELECT count(*)::int AS n FROM network_state`;
        return n?.n === 1;
      },
      60_000,
    );
    const count = async (table: string): Promise<number> =>
      Number((await sql.unsafe(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
    const ok = <T>(r: { ok: true; value: T } | { ok: false } | null): T => {
      if (!r?.ok) throw new Error("source failed in the sample");
      return r.value;
    };
    const interfaces = ok(sample.interfaces);
    expect(await count("network_interfaces")).toBe(interfaces.length);
    expect(await count("network_addresses")).toBe(interfaces.reduce((n, i) => n + i.addresses.length, 0));
    expect(await count("network_routes")).toBe(ok(sample.routes).length);
    expect(await count("listening_ports")).toBeGreaterThan(0);
    expect(await count("network_peers")).toBe(2 + 2);
    const [lo] = await sql`SELECT address FROM network_addresses WHERE interface = 'lo' AND family = 'inet'`;
    expect(lo?.address).toBe("127.0.0.1/8");
    // The address column works as inet: loopback's subnet contains 127.0.0.1.
    const [inNet] =
      await sql`SELECT count(*)::int AS n FROM network_addresses WHERE address::inet && '127.0.0.1/32'::inet`;
    expect(inNet?.n).toBeGreaterThan(0);
    const [state] = await sql`SELECT * FROM network_state`;
    expect(state?.dns_servers).toEqual(ok(sample.dns).servers);
    expect(state?.tailscale_backend_state).toBe("Running");
    const [router] = await sql`SELECT * FROM network_peers WHERE name = 'router'`;
    expect(router).toMatchObject({
      source: "tailscale",
      status: "online",
      addresses: ["100.64.0.3", "fd7a:115c:a1e0::3"],
    });
    const [sw] = await sql`SELECT * FROM network_peers WHERE source = 'lldp' AND local_interface = 'eth0'`;
    expect(sw).toMatchObject({ name: "switch-core", remote_port: "homelab rack, nas" });

    // Newer, but ss failed and one interface is gone: listening ports stay, interfaces follow.
    const newer: NetworkData = {
      ...sample,
      interfaces: { ok: true, value: interfaces.filter((i) => i.name !== "lo") },
      listening: {
        ok: false,
        error: { code: "COMMAND_TIMEOUT", message: "ss did not finish within 10000 ms" },
      },
    };
    const listeners = await count("listening_ports");
    await publishEnvelopes(js, [envelope(2, t0 + 120_000, newer)]);
    await waitFor(
      "the newer state",
      async () => {
        const [s] = await sql`SELECT source_errors FROM network_state`;
        return s?.source_errors?.listening?.code === "COMMAND_TIMEOUT";
      },
      60_000,
    );
    expect(await count("network_interfaces")).toBe(interfaces.length - 1);
    expect(await count("listening_ports")).toBe(listeners);

    // An older envelope (with lo again) is stored nowhere.
    await publishEnvelopes(js, [envelope(0, t0, sample)]);
    await waitFor("an empty backlog", () => pipeline.collector.drained(), 60_000);
    expect(await count("network_interfaces")).toBe(interfaces.length - 1);
    const [after] = await sql`SELECT collected_at FROM network_state`;
    expect(after?.collected_at.getTime()).toBe(t0 + 120_000);
  }, 120_000);

  test("a list the agent cut (listening with `truncated`) is stored as sent, not rejected", async () => {
    const { sql } = pipeline;
    const cut: NetworkData = {
      ...sample,
      listening: {
        ok: true,
        value: [{ protocol: "tcp", address: "::1", port: 4711, process: "sockholder", pid: 42 }],
        truncated: 7_900,
      },
    };
    const sent = domainEnvelope("net2", "network", cut, { seq: 0, boot_id: "network-cut" });
    await publishEnvelopes(pipeline.js, [sent]);
    await waitFor(
      "net2's listening port",
      async () => {
        const [n] = await sql`SELECT count(*)::int AS n FROM listening_ports WHERE port = 4711`;
        return n?.n === 1;
      },
      60_000,
    );
    const [rejects] = await sql`SELECT count(*)::int AS n FROM ingest_rejects`;
    expect(rejects?.n).toBe(0);
  }, 120_000);
});
