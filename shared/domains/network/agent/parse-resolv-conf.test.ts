import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { isResolvedStub, parseResolvConf } from "./parse-resolv-conf.ts";

const fixture = (name: string): Promise<string> => Bun.file(join(import.meta.dir, "testcases", name)).text();

describe("parseResolvConf", () => {
  test("this machine's /etc/resolv.conf", async () => {
    expect(parseResolvConf(await fixture("local-dev-vm/resolv-conf.txt"))).toEqual({
      servers: ["10.255.255.53"],
      search: [],
      source: "/etc/resolv.conf",
    });
  });

  test("search, IPv6 and scoped servers, both comment styles, options (handwritten)", async () => {
    const dns = parseResolvConf(await fixture("handwritten-resolv-conf-search-options/resolv-conf.txt"));
    expect(dns.servers).toEqual(["192.0.2.53", "2001:db8::53", "fe80::1"]);
    expect(dns.search).toEqual(["home.arpa", "lab.example.org"]);
    expect(isResolvedStub(dns)).toBe(false);
  });

  test("systemd-resolved's stub is recognised, and `search .` is no search domain", async () => {
    const dns = parseResolvConf(await fixture("handwritten-resolv-conf-resolved-stub/resolv-conf.txt"));
    expect(isResolvedStub(dns)).toBe(true);
    expect(dns.search).toEqual([]);
  });

  test("a nameserver that is not an address is PARSE_FAILED naming the line", () => {
    expect(() => parseResolvConf("search x\nnameserver dns.example.org\n")).toThrow(
      expect.objectContaining({
        code: ErrorCode.PARSE_FAILED,
        details: expect.objectContaining({ line: 2 }),
      }),
    );
  });
});
