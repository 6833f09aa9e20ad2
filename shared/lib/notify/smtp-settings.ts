import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * What an `smtp://` or `smtps://` channel URL says, parsed without I/O:
 *   smtp://user:pass@host:587/?from=alerts@example.org&to=a@example.org,b@example.org
 *   smtps://user:pass@host:465/?from=...&to=...           (implicit TLS)
 *   smtp://relay.lan:25/?from=...&to=...&starttls=no      (LAN relay in clear: no credentials allowed)
 *   ...&ca=/etc/infrastructor/mail-ca.pem                  (trust a private CA instead of the system's)
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
  /** The URL with the password replaced by `***`. */
  redacted: string;
}

const PARAMS = new Set(["from", "to", "starttls", "ca"]);

// Deliberately narrow: one local part and one domain, nothing a header or an SMTP command could be
// split on (whitespace, CR/LF, angle brackets, commas, quotes). Display names are not supported.
const ADDRESS = /^[^\s@<>,;:"\\()[\]]+@[^\s@<>,;:"\\()[\]]+$/;

export function parseSmtpUrl(name: string, url: URL): SmtpSettings {
  const invalid = (what: string): AppError =>
    new AppError(ErrorCode.CONFIG_INVALID, `channel ${name}: ${what}`);
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "smtp" && scheme !== "smtps") throw invalid(`scheme ${scheme} is not smtp or smtps`);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw invalid("the SMTP URL names no host");
  if (url.pathname !== "" && url.pathname !== "/")
    throw invalid("an SMTP URL has no path; put from/to in the query");
  if (url.hash !== "") throw invalid("an SMTP URL has no #fragment");
  for (const key of new Set(url.searchParams.keys())) {
    // Fail early on a typo (`?too=`), which would otherwise drop a setting silently.
    if (!PARAMS.has(key)) throw invalid(`unknown SMTP URL parameter ${JSON.stringify(key.slice(0, 20))}`);
    if (key !== "to" && url.searchParams.getAll(key).length > 1) throw invalid(`?${key}= given twice`);
  }
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

  const to = url.searchParams
    .getAll("to")
    .flatMap((list) => list.split(","))
    .map((address) => address.trim())
    .filter((address) => address !== "");
  if (to.length === 0) throw invalid("?to= names no recipient");
  const from = url.searchParams.get("from") ?? (user?.includes("@") ? user : null);
  if (from === null) throw invalid("?from= is missing (and the user name is not an address)");
  for (const address of [from, ...to]) {
    if (!ADDRESS.test(address))
      throw invalid(`${JSON.stringify(address.slice(0, 80))} is not a plain mail address`);
  }

  const security = securityOf(scheme, url.searchParams.get("starttls"), invalid);
  // Credentials never cross the network in clear: a relay without TLS must be one that needs no login.
  if (security === "none" && user !== null) {
    throw invalid("starttls=no sends in clear, so the URL must not carry a user name or password");
  }
  const ca = url.searchParams.get("ca");
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
    redacted: redactedUrl.href,
  };
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

function decode(text: string, fail: () => AppError): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw fail();
  }
}
