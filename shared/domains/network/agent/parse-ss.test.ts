import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { parseSs } from "./parse-ss.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseSs", () => {
  test("this machine's ss -Htlnp: listeners with and without a visible owner", async () => {
    expect(parseSs(await fixture("local-dev-vm/ss.tcp.txt")).items).toEqual([
      { protocol: "tcp", address: "0.0.0.0", port: 2024, process: null, pid: null },
      { protocol: "tcp", address: "0.0.0.0", port: 18080, process: "conmon", pid: 12642 },
      { protocol: "tcp", address: "::1", port: 47899, process: "python3", pid: 20756 },
    ]);
  });

  test("this machine's ss -Hulnp: bound UDP sockets (UNCONN), `*` for every address", async () => {
    expect(parseSs(await fixture("local-dev-vm/ss.udp.txt")).items).toEqual([
      { protocol: "udp", address: "127.0.0.1", port: 53054, process: "python3", pid: 20756 },
      { protocol: "udp", address: "*", port: 43750, process: "python3", pid: 20756 },
    ]);
  });

  test("the Netid column of ss -Htulnp and an interface-scoped address", () => {
    const text = 'udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:* users:(("systemd-resolve",pid=500,fd=13))\n';
    expect(parseSs(text).items).toEqual([
      { protocol: "udp", address: "127.0.0.53", port: 53, process: "systemd-resolve", pid: 500 },
    ]);
  });

  test.each([
    [
      "a header line (ss without -H)",
      "State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n",
      1,
    ],
    ["a line cut mid-line", "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 12", 2],
    ["not one socket line (an established socket)", "ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000\n", 1],
  ])("%s is PARSE_FAILED naming the line", (_, text, line) => {
    expect(() => parseSs(text)).toThrow(
      expect.objectContaining({ code: ErrorCode.PARSE_FAILED, details: expect.objectContaining({ line }) }),
    );
  });

  test("a socket line that cannot be read is an item error; the others are read", () => {
    const text = "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 12\nLISTEN 0 128 [::]:443 [::]:*\n";
    const { items, errors } = parseSs(text);
    expect(items.map((p) => p.port)).toEqual([22, 443]);
    expect(errors.map((e) => [e.error.code, e.error.line, e.error.excerpt])).toEqual([
      [ErrorCode.PARSE_FAILED, 2, "LISTEN 0 12"],
    ]);
  });
});
