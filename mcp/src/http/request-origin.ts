import { isIP } from "node:net";

/**
 * DNS-rebinding protection for Streamable HTTP (the MCP spec requires validating Origin): a web page
 * the operator visits may resolve its own domain to the collector's address and talk to /mcp from the
 * browser. Such a request carries the attacker's name in Host and its page in Origin, so:
 * - Origin, when present (browsers always send it cross-origin), must be one the operator allowed;
 *   MCP clients that are not browsers send none.
 * - Host must be an IP literal (a rebinding needs a DNS name the attacker controls), localhost, or a
 *   name the operator allowed (this machine's names and the public URL's host by default).
 */
export interface OriginPolicy {
  /** Host names (no port) accepted besides IP literals and localhost; lower case. */
  allowedHosts: readonly string[];
  /** Exact Origin values (scheme://host[:port]) accepted; none by default. */
  allowedOrigins: readonly string[];
}

/** null when the request may proceed, else why it is refused (answered with 403). */
export function refuseForeignOrigin(request: Request, policy: OriginPolicy): string | null {
  const origin = request.headers.get("origin");
  if (origin !== null && !policy.allowedOrigins.includes(origin)) {
    return `Origin ${JSON.stringify(origin)} is not allowed to use /mcp (MCP_HTTP_ALLOWED_ORIGINS)`;
  }
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const name = hostName(host);
  if (name === null) return `Host ${JSON.stringify(host)} is not a host name`;
  if (isIP(name) !== 0 || name === "localhost" || policy.allowedHosts.includes(name)) return null;
  return `Host ${JSON.stringify(name)} is not a name of this collector (MCP_HTTP_ALLOWED_HOSTS)`;
}

/** The host part of a Host header, lower case, without port or IPv6 brackets; null if malformed. */
function hostName(header: string): string | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::\d{1,5})?$/.exec(header.trim());
  if (m === null) return null;
  return (m[1] ?? m[2] ?? "").toLowerCase().replace(/\.$/, "");
}
