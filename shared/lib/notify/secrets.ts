/**
 * Secrets in channel URLs (tokens, passwords, webhook ids) must never reach a log, an error or the API.
 * Every message a channel builds passes through `stripSecrets`, which also catches the URL-encoded form a
 * server may echo back (a token with `:` or `/` in it appears as `%3A`/`%2F` in a request line).
 */

/** Secrets shorter than this are not stripped: replacing "1" everywhere would garble messages and hide nothing. */
const MIN_SECRET_CHARS = 4;

export function stripSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const forms = secrets
    .filter((s) => s.length >= MIN_SECRET_CHARS)
    .flatMap((s) => [s, encodeURIComponent(s), encodeURI(s)])
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  for (const form of forms) out = out.split(form).join("***");
  return out;
}
