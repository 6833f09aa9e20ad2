import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { DEFAULT_TIMEOUT_MS } from "./http-send.ts";

/**
 * Options every web channel URL accepts, parsed once and the same way: `endpoint` replaces the service's
 * base URL (a self-hosted proxy, or a test receiver on 127.0.0.1), `timeout` bounds one request
 * (`500ms`, `10s`). Unknown parameters are refused so a typo does not silently do nothing.
 */

export const COMMON_PARAMS = ["endpoint", "timeout"] as const;

export interface CommonOptions {
  /** The base URL to send to instead of the service's default, without a trailing slash. */
  endpoint: string | null;
  timeoutMs: number;
}

/** A CONFIG_INVALID naming the channel and what is wrong. Callers never put a secret into `what`. */
export function channelConfigError(name: string, scheme: string, what: string): AppError {
  return new AppError(ErrorCode.CONFIG_INVALID, `channel ${name} (${scheme}): ${what}`, {
    details: { channel: name, scheme },
  });
}

export function commonOptions(
  name: string,
  scheme: string,
  url: URL,
  allowed: readonly string[] = [],
): CommonOptions {
  for (const key of url.searchParams.keys()) {
    if (!(COMMON_PARAMS as readonly string[]).includes(key) && !allowed.includes(key)) {
      throw channelConfigError(name, scheme, `unknown parameter "${key}"`);
    }
  }
  return {
    endpoint: parseEndpoint(name, scheme, url.searchParams.get("endpoint")),
    timeoutMs: parseTimeout(name, scheme, url.searchParams.get("timeout")),
  };
}

function parseEndpoint(name: string, scheme: string, value: string | null): string | null {
  if (value === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw channelConfigError(name, scheme, "endpoint is not a URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw channelConfigError(name, scheme, `endpoint must be http or https, not ${parsed.protocol}`);
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw channelConfigError(name, scheme, "endpoint takes no query or fragment");
  }
  return parsed.href.replace(/\/+$/, "");
}

function parseTimeout(name: string, scheme: string, value: string | null): number {
  if (value === null) return DEFAULT_TIMEOUT_MS;
  const match = /^(\d+)(ms|s)$/.exec(value);
  if (!match) throw channelConfigError(name, scheme, `timeout "${value}" is not like 500ms or 10s`);
  const ms = Number(match[1]) * (match[2] === "s" ? 1000 : 1);
  if (ms < 1 || ms > 300_000) throw channelConfigError(name, scheme, "timeout must be between 1ms and 300s");
  return ms;
}

/** URL userinfo and path parts arrive percent-encoded; a token with `:` or `/` in it must be decoded once. */
export function decodePart(name: string, scheme: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw channelConfigError(name, scheme, "URL has a malformed percent-escape");
  }
}

/** `?key=a,b` as a list, empty items dropped. */
export function listParam(url: URL, key: string): string[] {
  return (url.searchParams.get(key) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** `?scheme=http` lets a self-hosted service on the LAN be reached without TLS; https is the default. */
export function baseScheme(name: string, scheme: string, url: URL): "http" | "https" {
  const value = url.searchParams.get("scheme") ?? "https";
  if (value !== "http" && value !== "https") {
    throw channelConfigError(name, scheme, `scheme must be http or https, not "${value}"`);
  }
  return value;
}
