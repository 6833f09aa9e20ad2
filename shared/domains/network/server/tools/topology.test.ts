import { describe, expect, test } from "bun:test";
import { compareNodeIds, compareNodes, type TopologyNode } from "./topology.ts";

const node = (type: TopologyNode["type"], id: string): TopologyNode => ({
  id,
  type,
  name: id.slice(id.indexOf(":") + 1),
  device: null,
  addresses: [],
});

describe("topology order", () => {
  test("containers sort by (device, name) in byte order, as PostgreSQL's C collation gives the rows", () => {
    const ids = ["container:node-a/x", "container:node/z", "container:node/Y", "container:node/_a"];
    // As strings "node-a/" < "node/" ("-" is 0x2d, "/" 0x2f); as (device, name) node comes first.
    expect([...ids].sort()).toEqual([
      "container:node-a/x",
      "container:node/Y",
      "container:node/_a",
      "container:node/z",
    ]);
    expect([...ids].sort(compareNodeIds)).toEqual([
      "container:node/Y",
      "container:node/_a",
      "container:node/z",
      "container:node-a/x",
    ]);
    // Byte order, not a locale's: "B" before "a".
    expect(["device:alpha", "device:Beta"].sort(compareNodeIds)).toEqual(["device:Beta", "device:alpha"]);
  });

  test("devices, then subnets, then containers", () => {
    const nodes = [
      node("container", "container:a/b"),
      node("subnet", "subnet:10.0.0.0/24"),
      node("device", "device:zz"),
      node("device", "device:aa"),
    ];
    expect(nodes.sort(compareNodes).map((n) => n.id)).toEqual([
      "device:aa",
      "device:zz",
      "subnet:10.0.0.0/24",
      "container:a/b",
    ]);
  });
});
