import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseIpAddr, parseIpNeigh, parseIpRoute } from "./parse-ip.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseIpAddr", () => {
  test("this machine's ip -j addr: every link, addresses, bridge ports", async () => {
    const { items: links, errors } = parseIpAddr(await fixture("local-dev-vm/ip-addr.json"));
    expect(errors).toEqual([]);
    expect(links.map((l) => l.name)).toEqual([
      "lo",
      "ifb0",
      "ifb1",
      "eth0",
      "cni-podman1",
      "vetha3ab252c",
      "veth8ff4235b",
    ]);
    const eth0 = links.find((l) => l.name === "eth0");
    expect(eth0).toEqual({
      name: "eth0",
      mac: "02:fc:00:00:00:01",
      mtu: 1400,
      state: "up",
      link_type: "ether",
      master: null,
      addresses: [
        { family: "inet", address: "192.0.2.2", prefix_len: 24, scope: "global" },
        { family: "inet6", address: "fd00::2", prefix_len: 64, scope: "global" },
        { family: "inet6", address: "fe80::fc:ff:fe00:1", prefix_len: 64, scope: "link" },
      ],
    });
    expect(links.find((l) => l.name === "lo")?.mac).toBeNull();
    expect(links.find((l) => l.name === "vetha3ab252c")?.master).toBe("cni-podman1");
  });

  test("truncated output is PARSE_FAILED naming the last line", async () => {
    const text = (await fixture("local-dev-vm/ip-addr.json")).slice(0, 500);
    expect(() => parseIpAddr(text)).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining({ line: 1 }),
      }),
    );
  });

  test("an interface of the wrong shape is an item error naming the path; the others are read", () => {
    const { items, errors } = parseIpAddr('[{"ifindex":1},{"ifname":"eth0","mtu":1500}]');
    expect(items.map((l) => l.name)).toEqual(["eth0"]);
    expect(errors).toEqual([
      {
        name: null,
        error: expect.objectContaining({
          code: ErrorCode.PARSE_FAILED,
          message: expect.stringContaining("ifname"),
        }),
      },
    ]);
  });

  test("an address that is not an IP is an item error; its interface keeps the others", () => {
    const text = JSON.stringify([
      {
        ifname: "eth0",
        addr_info: [
          { family: "inet", local: "192.0.2.2", prefixlen: 24 },
          { family: "inet", local: "192.0.2.999", prefixlen: 24 },
        ],
      },
    ]);
    const { items, errors } = parseIpAddr(text);
    expect(items[0]?.addresses.map((a) => a.address)).toEqual(["192.0.2.2"]);
    expect(errors.map((e) => e.name)).toEqual(["eth0 192.0.2.999"]);
  });

  test("JSON that is not an array is PARSE_FAILED", () => {
    expect(() => parseIpAddr('{"ifname":"eth0"}')).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED }),
    );
  });
});

describe("parseIpRoute", () => {
  test("this machine's IPv4 and IPv6 tables: default gateways and connected prefixes", async () => {
    const v4 = parseIpRoute(await fixture("local-dev-vm/ip-route.json")).items;
    expect(v4[0]).toEqual({
      family: "inet",
      dst: "default",
      gateway: "192.0.2.1",
      dev: "eth0",
      protocol: null,
      metric: null,
      prefsrc: null,
    });
    expect(v4.map((r) => r.dst)).toEqual(["default", "10.89.7.0/24", "192.0.2.0/24"]);
    const v6 = parseIpRoute(await fixture("local-dev-vm/ip-route.v6.json")).items;
    expect(v6.every((r) => r.family === "inet6")).toBe(true);
    expect(v6.find((r) => r.dst === "default")).toMatchObject({ gateway: "fd00::1", metric: 1024 });
  });

  test("empty output (older iproute2, empty table) is no route", () => {
    expect(parseIpRoute("")).toEqual({ items: [], errors: [] });
  });
});

describe("parseIpNeigh", () => {
  test("this machine's neighbours, with and without a link-layer address", async () => {
    expect(parseIpNeigh(await fixture("local-dev-vm/ip-neigh.json")).items).toEqual([
      { address: "192.0.2.1", dev: "eth0", mac: "02:fc:00:00:00:05", state: "STALE" },
      { address: "fd00::1", dev: "eth0", mac: null, state: "FAILED" },
    ]);
  });
});
