import { expect, test } from "bun:test";
import { subnetOf } from "./ip-net.ts";

test("subnetOf: the network of an address, IPv4 and IPv6 in RFC 5952 form", () => {
  expect([
    subnetOf("192.0.2.10", 24),
    subnetOf("10.1.2.3", 8),
    subnetOf("172.19.200.7", 12),
    subnetOf("fd00::10", 64),
    subnetOf("2001:db8:0:1:2:3:4:5", 48),
    subnetOf("fe80::fc:ff:fe00:1", 10),
    subnetOf("::ffff:192.0.2.1", 120),
    subnetOf("300.1.1.1", 24),
  ]).toEqual([
    "192.0.2.0/24",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "fd00::/64",
    "2001:db8::/48",
    "fe80::/10",
    "::ffff:c000:200/120",
    null,
  ]);
});
