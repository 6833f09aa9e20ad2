import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseLldpctl } from "./parse-lldpctl.ts";
import { parseTailscaleStatus } from "./parse-tailscale.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseTailscaleStatus (handwritten from ipnstate.Status)", () => {
  test("self and peers, sorted by name; Go's zero time is null", async () => {
    const { value: status, errors } = parseTailscaleStatus(
      await fixture("handwritten-tailscale-status/tailscale-status.json"),
    );
    expect(errors).toEqual([]);
    expect(status.backend_state).toBe("Running");
    expect(status.self).toMatchObject({ hostname: "nas", dns_name: "nas.tail0000.ts.net", online: true });
    expect(status.peers).toEqual([
      {
        hostname: "laptop",
        dns_name: "laptop.tail0000.ts.net",
        os: "macOS",
        ips: ["100.64.0.2", "fd7a:115c:a1e0::2"],
        online: false,
        exit_node: false,
        last_seen: "2024-01-10T08:05:00Z",
      },
      {
        hostname: "router",
        dns_name: "router.tail0000.ts.net",
        os: "linux",
        ips: ["100.64.0.3", "fd7a:115c:a1e0::3"],
        online: true,
        exit_node: true,
        last_seen: null,
      },
    ]);
  });

  test("logged out: no peers", () => {
    expect(parseTailscaleStatus('{"BackendState":"NeedsLogin","Self":null,"Peer":null}').value.peers).toEqual(
      [],
    );
  });

  test("a peer that cannot be read is an item error; the other peers are read", async () => {
    const doc = JSON.parse(await fixture("handwritten-tailscale-status/tailscale-status.json"));
    const keys = Object.keys(doc.Peer);
    doc.Peer[keys[0] as string].TailscaleIPs = ["100.64.0.999"];
    const { value, errors } = parseTailscaleStatus(JSON.stringify(doc));
    expect(value.peers).toHaveLength(keys.length - 1);
    expect(errors.map((e) => [e.name, e.error.code])).toEqual([
      [doc.Peer[keys[0] as string].HostName, ErrorCode.PARSE_FAILED],
    ]);
  });

  test("truncated is PARSE_FAILED", async () => {
    const text = (await fixture("handwritten-tailscale-status/tailscale-status.json")).slice(0, 300);
    expect(() => parseTailscaleStatus(text)).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
  });
});

describe("parseLldpctl (handwritten from lldpctl -f json)", () => {
  test("two interfaces (an array), a named and an unnamed chassis, one or several mgmt-ip", async () => {
    expect(parseLldpctl(await fixture("handwritten-lldpctl-two-interfaces/lldpctl.json")).items).toEqual([
      {
        interface: "eth0",
        chassis_name: "switch-core",
        chassis_id: "00:11:22:33:44:55",
        port_id: "ge-0/0/12",
        port_description: "homelab rack, nas",
        mgmt_ips: ["192.0.2.250", "2001:db8::250"],
      },
      {
        interface: "eth1",
        chassis_name: null,
        chassis_id: "66:77:88:99:aa:bb",
        port_id: "66:77:88:99:aa:bc",
        port_description: null,
        mgmt_ips: ["198.51.100.2"],
      },
    ]);
  });

  test("one interface (a plain object)", async () => {
    const [one] = parseLldpctl(await fixture("handwritten-lldpctl-one-interface/lldpctl.json")).items;
    expect(one).toMatchObject({ interface: "enp3s0", chassis_name: "pve1", mgmt_ips: ["192.0.2.21"] });
  });

  test("no neighbour", async () => {
    expect(parseLldpctl(await fixture("handwritten-lldpctl-none/lldpctl.json"))).toEqual({
      items: [],
      errors: [],
    });
  });

  test("a neighbour that cannot be read is an item error; the other interface is read", async () => {
    const doc = JSON.parse(await fixture("handwritten-lldpctl-two-interfaces/lldpctl.json"));
    const first = Object.keys(doc.lldp.interface[0])[0] as string;
    doc.lldp.interface[0][first].port = { id: 7 };
    const { items, errors } = parseLldpctl(JSON.stringify(doc));
    expect(items).toHaveLength(1);
    expect(items[0]?.interface).not.toBe(first);
    expect(errors.map((e) => [e.name, e.error.code])).toEqual([[first, ErrorCode.PARSE_FAILED]]);
  });

  test("garbage is PARSE_FAILED", () => {
    expect(() => parseLldpctl('{"lldp": 3}')).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
  });
});
