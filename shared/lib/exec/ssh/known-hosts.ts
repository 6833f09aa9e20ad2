import { createHash, createHmac } from "node:crypto";

/** A known_hosts line that names a given host: its key type and fingerprint, and whether it is revoked. */
export interface KnownHostKey {
  keyType: string;
  fingerprint: string;
  revoked: boolean;
}

/** OpenSSH's fingerprint form: `SHA256:` + base64 of the SHA-256 of the key blob, without `=` padding. */
export function fingerprintSha256(keyBlob: Uint8Array): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named at the start of an SSH public key blob (uint32 length, then the name). */
export function keyTypeOf(keyBlob: Uint8Array): string {
  const buf = Buffer.from(keyBlob);
  if (buf.length < 4) return "unknown";
  const len = buf.readUInt32BE(0);
  if (len === 0 || len > 64 || buf.length < 4 + len) return "unknown";
  return buf.subarray(4, 4 + len).toString("ascii");
}

/** How known_hosts names host:port: the bare host on 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * The keys a known_hosts text holds for host:port: plain entries (comma-separated patterns with `*`, `?`
 * and `!` negation) and hashed ones (`|1|salt|hmac`, HMAC-SHA1 of the name keyed by the salt).
 * `@cert-authority` lines are skipped: we do not do certificates, so they neither accept nor refuse.
 */
export function knownHostKeys(text: string, host: string, port: number): KnownHostKey[] {
  const name = knownHostsName(host, port);
  const found: KnownHostKey[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    let fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith("@")) {
      if (fields[0] !== "@revoked") continue;
      revoked = true;
      fields = fields.slice(1);
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) continue;
    if (!hostsMatch(hosts, name)) continue;
    found.push({ keyType, fingerprint: fingerprintSha256(Buffer.from(base64, "base64")), revoked });
  }
  return found;
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (salt === undefined || hash === undefined) return false;
    const mac = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return mac === hash;
  }
  let matched = false;
  for (const pattern of field.split(",")) {
    const negated = pattern.startsWith("!");
    if (!globMatch(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** known_hosts patterns: `*` any run, `?` one character, case-insensitive like host names. */
function globMatch(pattern: string, name: string): boolean {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+(){}[\]]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(name);
}
