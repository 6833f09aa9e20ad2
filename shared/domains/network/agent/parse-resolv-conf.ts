import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { Dns } from "../schema.ts";

const SOURCE = "resolv.conf";

/**
 * resolv.conf(5): `nameserver ADDR`, `search DOMAIN...` (the last `search` or `domain` wins), `options`;
 * `#` and `;` start comments. Unknown keywords are ignored as the resolver does; a nameserver that is
 * not an address is refused, since it would be a broken configuration worth seeing.
 */
export function parseResolvConf(text: string, source = "/etc/resolv.conf"): Dns {
  const servers: string[] = [];
  let search: string[] = [];
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.replace(/[#;].*$/, "").trim();
    if (line === "") continue;
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === "nameserver") {
      const address = (args[0] ?? "").replace(/%.*$/, "");
      if (args.length !== 1 || !/^[0-9A-Fa-f.:]{2,64}$/.test(address)) {
        throw parseFailed(SOURCE, "nameserver is not one IP address", { line: index + 1, excerpt: raw });
      }
      // The resolver uses at most 3 (MAXNS); more are kept as written, within the schema's bound.
      if (servers.length < 16) servers.push(address);
    } else if (keyword === "search" || keyword === "domain") {
      // `search .` (systemd-resolved) means no search domain.
      search = args.filter((d) => d !== "." && d.length <= 253).slice(0, 16);
    }
  }
  return { servers, search, source };
}

/** systemd-resolved's stub resolver: the real upstream servers are in /run/systemd/resolve/resolv.conf. */
export function isResolvedStub(dns: Dns): boolean {
  return dns.servers.length > 0 && dns.servers.every((s) => s === "127.0.0.53" || s === "127.0.0.54");
}
