/**
 * Secrets in container labels (and any other key/value metadata a host sends): Traefik basic-auth
 * hashes, API keys for dashboards, webhook URLs with their token. They would be stored at the hub and
 * shown to the LLM in full; they are replaced here, before they leave the host, keeping the key so the
 * label still says what is configured. Pure: strings in, strings out.
 */
export const REDACTED = "<redacted>";

/**
 * Words that make a key secret-looking. A key is split into words at anything that is not a letter or
 * digit and at camelCase humps (`traefik.http.middlewares.a.basicauth.users` → …, basicauth, users).
 */
const SECRET_WORDS = new Set([
  "pass",
  "passwd",
  "password",
  "passwords",
  "passphrase",
  "pwd",
  "secret",
  "secrets",
  "token",
  "tokens",
  "key",
  "keys",
  "apikey",
  "auth",
  "authorization",
  "credential",
  "credentials",
  "creds",
  "cookie",
  "session",
  "signature",
  "private",
  "dsn",
  "htpasswd",
  "webhook",
]);
/** Compound words: `dbpassword`, `basicauth`, `authtoken`, `accesskey`, `secretkey`, `xapikey`. */
const SECRET_PARTS = /password|passwd|secret|token|credential|apikey|privatekey|accesskey|secretkey|htpasswd/;
/** …auth words (basicauth, digestauth, oauth, authkey) but not author(s) / authority (OCI labels). */
const AUTH_WORD = /(^auth|auth$)/;
const NOT_AUTH = /^author/;

/**
 * Settings under a secret-looking prefix that are plain configuration (`…forwardauth.address`,
 * `…basicauth.realm`): their value is still scanned for URL credentials, but not blanked.
 */
const PLAIN_SETTINGS = new Set([
  "address",
  "url",
  "enable",
  "enabled",
  "realm",
  "headerfield",
  "removeheader",
  "usersfile",
  "trustforwardheader",
  "authresponseheaders",
  "authresponseheadersregex",
  "authrequestheaders",
  "addauthcookiestoresponse",
  "insecureskipverify",
  "maxresponsebodysize",
  "preserverequestmethod",
  "preservelocationheader",
  "middlewares",
  "rule",
  "priority",
  "entrypoints",
]);

export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  const secret = (w: string): boolean =>
    SECRET_WORDS.has(w) || SECRET_PARTS.test(w) || (AUTH_WORD.test(w) && !NOT_AUTH.test(w));
  const last = words.at(-1) ?? "";
  if (secret(last)) return true;
  if (PLAIN_SETTINGS.has(last)) return false;
  return words.some(secret);
}

/** scheme://userinfo@ : the user and password of any URL (also a bare token used as the user). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@"'<>]+@/gi;
/** ?token=… &api_key=… ;sig=… : query parameters named like secrets. */
const SECRET_QUERY =
  /([?&;][^=&;#\s"']*?(?:token|key|secret|passw|pwd|auth|sig|signature|credential|session|code)[^=&;#\s"']*=)[^&;#\s"']+/gi;
/** URLs whose path is the secret (Slack, Discord, Teams, Telegram bots, healthchecks.io, shoutrrr URLs). */
const TOKEN_PATHS: RegExp[] = [
  /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[^\s"'?#]+/gi,
  /(discord(?:app)?\.com\/api\/webhooks\/)[^\s"'?#]+/gi,
  /(\.webhook\.office\.com\/)[^\s"'?#]+/gi,
  /(outlook\.office(?:365)?\.com\/webhook\/)[^\s"'?#]+/gi,
  /(api\.telegram\.org\/bot)[^\s"'/?#]+/gi,
  /(hc-ping\.com\/)[^\s"'?#]+/gi, // healthchecks.io: the URL is the credential
  /\b((?:slack|discord|teams|telegram|pushover|gotify|ntfy|matrix|pushbullet|rocketchat|zulip|ifttt|join|opsgenie|bark):\/\/)[^\s"'?#]+/gi,
];
/** `Bearer …` / `Basic …` credentials inside a value. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** Values that are secrets whatever their key: password hashes, private keys, JWTs, well-known tokens. */
const SECRET_VALUE = [
  /\$(?:apr1|2[abxy]?|1|5|6|y|argon2(?:id|i|d)?)\$[^\s,]+/, // htpasswd / crypt(3) hashes
  /\{SHA\}[A-Za-z0-9+/=]{20,}/, // htpasswd SHA1
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, // JWT
  /\b(?:ghp|gho|ghu|ghs|ghr|github_pat|glpat|xox[abposr]|sk_live|rk_live|AKIA)[A-Za-z0-9_-]{8,}/,
];

/**
 * A value with its secrets replaced: the whole value when its key looks secret or the value itself is
 * a known secret format; otherwise only the secret parts of URLs and auth headers inside it.
 * Empty values stay empty (nothing to hide, and "set but empty" is worth seeing).
 */
export function redactValue(key: string, value: string): string {
  if (value === "") return value;
  if (isSecretKey(key) || SECRET_VALUE.some((re) => re.test(value))) return REDACTED;
  let out = value.replace(URL_USERINFO, `$1${REDACTED}@`).replace(SECRET_QUERY, `$1${REDACTED}`);
  for (const re of TOKEN_PATHS) out = out.replace(re, `$1${REDACTED}`);
  return out.replace(AUTH_SCHEME, `$1 ${REDACTED}`);
}

/** Every value of a label (annotation, tag) map redacted; keys kept as they are. */
export function redactLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) out[key] = redactValue(key, value);
  return out;
}
