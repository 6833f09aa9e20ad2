import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { DockerNetworkSchema } from "../schema.ts";
import { parseNetworks } from "./parse-networks.ts";
import { fixture } from "./testing/captures.ts";

describe("parseNetworks", () => {
  test("docker (handwritten from the API reference): subnets and gateways, no containers in lists", async () => {
    const { items: networks, errors } = parseNetworks(await fixture("handwritten-networks/networks.json"));
    expect(errors).toEqual([]);
    expect(networks.map((n) => [n.name, n.driver, n.scope])).toEqual([
      ["bridge", "bridge", "local"],
      ["none", "null", "local"],
      ["host", "host", "local"],
      ["shop_backend", "bridge", "local"],
    ]);
    const shop = networks[3];
    expect(shop?.subnets).toEqual(["172.19.0.0/16", "fd00:19::/64"]);
    expect(shop?.gateways).toEqual(["172.19.0.1"]);
    expect(networks[2]?.subnets).toEqual([]);
    for (const n of networks) expect(DockerNetworkSchema.safeParse(n).success).toBe(true);
  });

  test("podman: attached containers with their addresses", async () => {
    const networks = parseNetworks(await fixture("derived-podman431/networks.json")).items;
    const net = networks.find((n) => n.name === "dkxnet");
    expect(net?.subnets).toEqual(["10.89.7.0/24"]);
    expect(net?.containers).toContainEqual({
      id: "a9fd479e331f594c857371fb2f899a1e511e057e678f24fed9c1b95db10c0af5",
      name: "dkx-web",
      ipv4_address: "10.89.7.3/24",
      ipv6_address: null,
    });
  });

  test.each([
    ["truncated", '[\n  {\n    "Name": "bridge",\n', 3],
    ["not an array", '{"message": "no"}', undefined],
  ])("garbage (%s) is PARSE_FAILED", (_, text, line) => {
    expect(() => parseNetworks(text)).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining(line === undefined ? {} : { line }),
      }),
    );
  });

  test("a network without its Name is an item error; the others are read", () => {
    const parsed = parseNetworks('[{"Id": "x"}, {"Id": "n1", "Name": "bridge", "Driver": "bridge"}]');
    expect(parsed.items.map((n) => n.name)).toEqual(["bridge"]);
    expect(parsed.errors).toMatchObject([{ name: "x", error: { code: ErrorCode.PARSE_FAILED } }]);
  });
});
