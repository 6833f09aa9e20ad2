import { ChannelError } from "./channel.ts";
import { stripSecrets } from "./secrets.ts";

/**
 * The one HTTP path every web channel sends through, so the failure rules of issue 15 hold for all of
 * them alike: a timeout on every request, 429/5xx/network -> retry (with Retry-After), other 4xx ->
 * permanent with a short body excerpt, and no redirect followed to another host (a token in the URL or a
 * header must not travel to wherever a 30x points).
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const BODY_EXCERPT_CHARS = 200;

export interface HttpRequest {
  method: "GET" | "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string | null;
  timeoutMs: number;
  /** Every secret in the URL, headers or body: stripped from any message this function produces. */
  secrets: readonly string[];
  /** What the failure message names instead of the URL ("ntfy channel phone"). */
  label: string;
  signal?: AbortSignal | undefined;
  /** For services that put the wait in the body (Telegram's `parameters.retry_after`) instead of a header. */
  retryAfterFromBody?: ((body: string) => number | null) | undefined;
}

/** Sends one request; resolves with the 2xx response's body text, throws ChannelError otherwise. */
export async function sendHttp(request: HttpRequest): Promise<string> {
  let url = new URL(request.url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await fetchOnce(request, url);
    if (response.status >= 300 && response.status < 400) {
      url = redirectTarget(request, url, response);
      continue;
    }
    const text = await readBody(request, response);
    if (response.ok) return text;
    throw statusError(request, response, text);
  }
  throw new ChannelError(`${request.label}: more than ${MAX_REDIRECTS} redirects`, "permanent");
}

async function fetchOnce(request: HttpRequest, url: URL): Promise<Response> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  try {
    return await fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // Redirects are followed by hand below, so a 30x to another host is refused instead of followed.
      redirect: "manual",
      signal,
    });
  } catch (err) {
    const timedOut = timeout.aborted;
    const why = timedOut ? `timed out after ${request.timeoutMs} ms` : `request failed: ${errorText(err)}`;
    // The cause is dropped on purpose: fetch errors can quote the URL, and the URL may hold a token.
    throw new ChannelError(stripSecrets(`${request.label}: ${why}`, request.secrets), "retry");
  }
}

function redirectTarget(request: HttpRequest, from: URL, response: Response): URL {
  const location = response.headers.get("location");
  if (location === null) {
    throw new ChannelError(`${request.label}: HTTP ${response.status} without a Location`, "permanent");
  }
  const to = new URL(location, from);
  if (to.hostname !== from.hostname) {
    throw new ChannelError(
      stripSecrets(`${request.label}: refused a redirect to another host (${to.hostname})`, request.secrets),
      "permanent",
    );
  }
  if (from.protocol === "https:" && to.protocol !== "https:") {
    throw new ChannelError(`${request.label}: refused a redirect from https to ${to.protocol}`, "permanent");
  }
  return to;
}

async function readBody(request: HttpRequest, response: Response): Promise<string> {
  try {
    return await response.text();
  } catch (err) {
    throw new ChannelError(
      stripSecrets(`${request.label}: reading the response failed: ${errorText(err)}`, request.secrets),
      "retry",
    );
  }
}

function statusError(request: HttpRequest, response: Response, text: string): ChannelError {
  const excerpt = stripSecrets(text.slice(0, BODY_EXCERPT_CHARS), request.secrets)
    .replace(/\s+/g, " ")
    .trim();
  const message = `${request.label}: HTTP ${response.status}${excerpt ? `: ${excerpt}` : ""}`;
  if (response.status === 429 || response.status >= 500) {
    const wait =
      parseRetryAfter(response.headers.get("retry-after")) ?? request.retryAfterFromBody?.(text) ?? null;
    return new ChannelError(message, "retry", wait);
  }
  return new ChannelError(message, "permanent");
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 section 10.2.3); anything else is ignored. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
