import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseNetDev } from "./parse-net-dev.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseNetDev", () => {
  test("jc capture: headers skipped, lo and ens33 with receive and transmit columns", async () => {
    const { items: interfaces, errors } = parseNetDev(await fixture("jc-proc-net-dev/proc-net-dev.txt"));
    expect(errors).toEqual([]);
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

  const HEADER =
    "Inter-|   Receive                                                |  Transmit\n" +
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n";

  test("old kernels wrote no space after the colon", () => {
    const [eth0] = parseNetDev(`${HEADER}eth0:1234 5 6 7 0 0 0 0 4321 8 9 10 0 0 0 0\n`).items;
    expect([eth0?.interface, eth0?.rx_bytes, eth0?.rx_errors, eth0?.tx_drops]).toEqual(["eth0", 1234, 6, 10]);
  });

  test.each([
    ["no colon", "eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", null],
    ["too few counters", "eth0: 1 2 3\n", "eth0"],
    ["non-numeric", "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n", "eth0"],
  ])("a row that cannot be read (%s) is an item error; the next row is still read", (_, row, name) => {
    const { items, errors } = parseNetDev(`${HEADER}${row}wg0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`);
    expect(items.map((n) => n.interface)).toEqual(["wg0"]);
    expect(errors).toEqual([
      expect.objectContaining({
        name,
        error: expect.objectContaining({ code: ErrorCode.PARSE_FAILED, line: 3 }),
      }),
    ]);
  });

  test.each([
    ["header missing", "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"],
    ["cut mid-line", `${HEADER}eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\nwg0: 1 2`],
    [
      "an interface twice",
      `${HEADER}eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\neth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`,
    ],
    ["the header again", `${HEADER}eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n${HEADER}`],
  ])("a file that lies (%s) is PARSE_FAILED", (_, text) => {
    expect(() => parseNetDev(text)).toThrow(expect.objectContaining({ code: ErrorCode.PARSE_FAILED }));
  });
});
