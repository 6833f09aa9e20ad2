/**
 * Whether a secret from the environment (an API token, a password) is good enough to guard the
 * fleet: not a placeholder from an example file or a well-known default, at least 16 characters, and
 * not a few characters repeated. Pure (no imports): scripts/check-secrets.ts runs it in compose before
 * anything starts, where no dependencies are installed.
 */

/** Enough for any secret generated as the docs say (`openssl rand -hex 24` is 48 characters). */
export const MIN_SECRET_LENGTH = 16;
/** "aaaaaaaaaaaaaaaa", "abababab..." and keyboard runs have fewer. */
export const MIN_DISTINCT_CHARACTERS = 8;

/**
 * Words that make a value a placeholder wherever they appear (after lower-casing and dropping
 * everything but letters and digits): `change-me`, `CHANGE_ME_too`, `your-password-here`...
 */
const PLACEHOLDER_WORDS = [
  "changeme",
  "changethis",
  "replaceme",
  "placeholder",
  "yourpassword",
  "yourtoken",
  "example",
  "xxxxxx",
];
/** Whole values that are well-known defaults (same normalisation). */
const PLACEHOLDER_VALUES = new Set([
  "password",
  "passw0rd",
  "secret",
  "admin",
  "root",
  "postgres",
  "grafana",
  "infrastructor",
  "token",
  "default",
  "test",
  "letmein",
  "qwerty",
  "123456",
  "12345678",
  "1234567890",
  "0123456789abcdef",
]);

/** Why `value` is not a usable secret, or null when it is. The reason never repeats the value. */
export function weakSecretReason(value: string): string | null {
  const normalised = value.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (PLACEHOLDER_VALUES.has(normalised) || PLACEHOLDER_WORDS.some((w) => normalised.includes(w))) {
    return "is a placeholder or a well-known default: generate one, e.g. `openssl rand -hex 24`";
  }
  if (value.length < MIN_SECRET_LENGTH) {
    return `must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 24\`)`;
  }
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
    return `has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters: generate one, e.g. \`openssl rand -hex 24\``;
  }
  return null;
}

/** Only the placeholder part: for secrets whose length is not ours to dictate (a database password). */
export function placeholderSecretReason(value: string): string | null {
  const reason = weakSecretReason(value);
  return reason?.startsWith("is a placeholder") ? reason : null;
}
