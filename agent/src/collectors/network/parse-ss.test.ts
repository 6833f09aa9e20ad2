import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseSs } from "./parse-ss.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testdata", name)).text();

describe("parseSs", () => {
  test("this machine's ss -Htlnp: listeners with and without a visible owner", async () => {
    expect(parseSs(await fixture("local__ss_Htlnp.txt"))).toEqual([
      { protocol: "tcp", address: "0.0.0.0", port: 2024, process: null, pid: null },
      { protocol: "tcp", address: "0.0.0.0", port: 18080, process: "conmon", pid: 12642 },
      { protocol: "tcp", address: "::1", port: 47899, process: "python3", pid: 20756 },
    ]);
  });

  test("this machine's ss -Hulnp: bound UDP sockets (UNCONN), `*` for every address", async () => {
    expect(parseSs(await fixture("local__ss_Hulnp.txt"))).toEqual([
      { protocol: "udp", address: "127.0.0.1", port: 53054, process: "python3", pid: 20756 },
      { protocol: "udp", address: "*", port: 43750, process: "python3", pid: 20756 },
    ]);
  });

  test("the Netid column of ss -Htulnp and an interface-scoped address", () => {
    const text = 'udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:* users:(("systemd-resolve",pid=500,fd=13))\n';
    expect(parseSs(text)).toEqual([
      { protocol: "udp", address: "127.0.0.53", port: 53, process: "systemd-resolve", pid: 500 },
    ]);
  });

  test.each([
    [
      "a header line (ss without -H)",
      "State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n",
      1,
    ],
    ["a cut line", "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 12\n", 2],
    ["an established socket", "ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000\n", 1],
  ])("%s is PARSE_FAILED naming the line", (_, text, line) => {
    expect(() => parseSs(text)).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) }),
    );
  });
});
