import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseNetDev } from "./parse-net-dev.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testdata", name)).text();

describe("parseNetDev", () => {
  test("jc capture: headers skipped, lo and ens33 with receive and transmit columns", async () => {
    const interfaces = parseNetDev(await fixture("jc__proc_net_dev.txt"));
    expect(interfaces.map((n) => n.interface)).toEqual(["lo", "ens33"]);
    expect(interfaces[1]).toEqual({
      interface: "ens33",
      rx_bytes: 60600053,
      rx_packets: 109378,
      rx_errors: 0,
      rx_drops: 0,
      tx_bytes: 44256546,
      tx_packets: 121425,
      tx_errors: 0,
      tx_drops: 0,
    });
  });

  test("old kernels wrote no space after the colon", () => {
    const [eth0] = parseNetDev("eth0:1234 5 6 7 0 0 0 0 4321 8 9 10 0 0 0 0\n");
    expect([eth0?.interface, eth0?.rx_bytes, eth0?.rx_errors, eth0?.tx_drops]).toEqual(["eth0", 1234, 6, 10]);
  });

  test.each([
    ["no colon", "eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"],
    ["too few counters", "eth0: 1 2 3\n"],
    ["non-numeric", "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n"],
  ])("garbage (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseNetDev(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
