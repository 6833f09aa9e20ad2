import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * What an `smtp://` or `smtps://` channel URL says, parsed without I/O:
 *   smtp://user:pass@host:587/?from=alerts@example.org&to=a@example.org,b@example.org
 *   smtps://user:pass@host:465/?from=...&to=...           (implicit TLS)
 *   smtp://relay.lan:25/?from=...&to=...&starttls=no      (LAN relay in clear: no credentials allowed)
 *   ...&ca=/etc/infrastructor/mail-ca.pem                  (trust a private CA instead of the system's)
 *   ...&timeout=20s                                         (per step; 10s by default)
 */
export type SmtpSecurity = "implicit" | "starttls" | "none";

export interface SmtpSettings {
  security: SmtpSecurity;
  host: string;
  port: number;
  user: string | null;
  /** The only secret of an SMTP URL. */
  pass: string | null;
  from: string;
  to: string[];
  caFile: string | null;
  /** `?timeout=500ms|10s` (as for every channel): connect, greeting, TLS upgrade, each command. */
  timeoutMs: number;
  /** The URL with the password replaced by `***`. */
  redacted: string;
}

const PARAMS = new Set(["from", "to", "starttls", "ca", "timeout"]);
const DEFAULT_TIMEOUT_MS = 10_000;

// Deliberately narrow: one local part and one domain, nothing a header or an SMTP command could be
// split on (whitespace, CR/LF, angle brackets, commas, quotes). Display names are not supported.
const ADDRESS = /^[^\s@<>,;:"\\()[\]]+@[^\s@<>,;:"\\()[\]]+$/;

export function parseSmtpUrl(name: string, url: URL): SmtpSettings {
  const scheme = url.protocol.replace(/:$/, "");
  // The same form as the other channels' refusals: `channel NAME (SCHEME): what`, never a secret.
  const invalid = (what: string): AppError =>
    new AppError(ErrorCode.CONFIG_INVALID, `channel ${name} (${scheme}): ${what}`, {
      details: { channel: name, scheme },
    });
  if (scheme !== "smtp" && scheme !== "smtps") throw invalid(`scheme ${scheme} is not smtp or smtps`);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw invalid("the SMTP URL names no host");
  if (url.pathname !== "" && url.pathname !== "/")
    throw invalid("an SMTP URL has no path; put from/to in the query");
  if (url.hash !== "") throw invalid("an SMTP URL has no #fragment");
  const query = queryOf(url.search, () => invalid("the query is not valid percent-encoding"));
  for (const [key, values] of query) {
    // Fail early on a typo (`?too=`), which would otherwise drop a setting silently.
    if (!PARAMS.has(key)) throw invalid(`unknown SMTP URL parameter ${JSON.stringify(key.slice(0, 20))}`);
    if (key !== "to" && values.length > 1) throw invalid(`?${key}= given twice`);
  }
  const param = (key: string): string | null => query.get(key)?.[0] ?? null;
  const user =
    url.username === ""
      ? null
      : decode(url.username, () => invalid("the user name is not valid percent-encoding"));
  // The password is never quoted, not even when it fails to decode.
  const pass =
    url.password === ""
      ? null
      : decode(url.password, () => invalid("the password is not valid percent-encoding"));
  if (pass !== null && user === null) throw invalid("a password without a user name");
  if (user !== null && pass === null)
    throw invalid("a user name without a password (a relay without login needs neither)");

  const to = (query.get("to") ?? [])
    .flatMap((list) => list.split(","))
    .map((address) => address.trim())
    .filter((address) => address !== "");
  if (to.length === 0) throw invalid("?to= names no recipient");
  const from = param("from") ?? (user?.includes("@") ? user : null);
  if (from === null) throw invalid("?from= is missing (and the user name is not an address)");
  for (const address of [from, ...to]) {
    if (!ADDRESS.test(address))
      throw invalid(`${JSON.stringify(address.slice(0, 80))} is not a plain mail address`);
  }

  const security = securityOf(scheme, param("starttls"), invalid);
  // Credentials never cross the network in clear: a relay without TLS must be one that needs no login.
  if (security === "none" && user !== null) {
    throw invalid("starttls=no sends in clear, so the URL must not carry a user name or password");
  }
  const ca = param("ca");
  if (ca !== null && !ca.startsWith("/")) throw invalid("?ca= must be an absolute path to a PEM file");

  const redactedUrl = new URL(url.href);
  if (redactedUrl.password !== "") redactedUrl.password = "***";
  return {
    security,
    host,
    port: url.port === "" ? (scheme === "smtps" ? 465 : 587) : Number(url.port),
    user,
    pass,
    from,
    to,
    caFile: ca,
    timeoutMs: timeoutOf(param("timeout"), invalid),
    redacted: redactedUrl.href,
  };
}

function timeoutOf(value: string | null, invalid: (what: string) => AppError): number {
  if (value === null) return DEFAULT_TIMEOUT_MS;
  const match = /^(\d+)(ms|s)$/.exec(value);
  const ms = match === null ? Number.NaN : Number(match[1]) * (match[2] === "s" ? 1000 : 1);
  if (!(ms >= 1 && ms <= 300_000)) throw invalid("?timeout= is like 500ms or 10s, at most 300s");
  return ms;
}

function securityOf(
  scheme: string,
  starttls: string | null,
  invalid: (what: string) => AppError,
): SmtpSecurity {
  if (scheme === "smtps") {
    if (starttls !== null) throw invalid("?starttls= does not apply to smtps:// (TLS from the first byte)");
    return "implicit";
  }
  if (starttls === null || starttls === "required") return "starttls";
  // The explicit opt-in for a LAN relay that offers no TLS; anything else keeps STARTTLS mandatory.
  if (starttls === "no") return "none";
  throw invalid(
    `?starttls= is "required" (the default) or "no", not ${JSON.stringify(starttls.slice(0, 20))}`,
  );
}

/**
 * The query as written: unlike URLSearchParams, `+` stays a plus, since `me+alerts@example.org`
 * is a common recipient and a path may hold one; spaces are written %20.
 */
function queryOf(search: string, fail: () => AppError): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const pair of search.replace(/^\?/, "").split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const key = decode(at === -1 ? pair : pair.slice(0, at), fail);
    const value = decode(at === -1 ? "" : pair.slice(at + 1), fail);
    query.set(key, [...(query.get(key) ?? []), value]);
  }
  return query;
}

function decode(text: string, fail: () => AppError): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw fail();
  }
}
