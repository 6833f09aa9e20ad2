import { readFile } from "node:fs/promises";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { HostKeyStore } from "./host-key-store.ts";
import { fingerprintSha256, keyTypeOf, knownHostKeys, knownHostsName } from "./known-hosts.ts";

export interface HostKeyPolicy {
  store: HostKeyStore;
  /** An OpenSSH known_hosts file to honour; null to use the pins only. A missing file holds no entries. */
  knownHostsPath: string | null;
}

export interface HostIdentity {
  host: string;
  port: number;
  /** The device name, so a refusal can print the exact re-trust command. */
  device?: string;
}

/**
 * Decides whether the key a host presents is the one we trust. An operator's known_hosts entries for the
 * host come first: one matching entry accepts; entries that all differ (or a matching `@revoked` one)
 * refuse, as OpenSSH would. Without entries, trust on first use: the first key seen is pinned in the store
 * and every later key must match it. Throws HOST_KEY_MISMATCH naming both fingerprints and the fix.
 */
export async function verifyHostKey(
  id: HostIdentity,
  keyBlob: Uint8Array,
  policy: HostKeyPolicy,
): Promise<void> {
  const presented = { keyType: keyTypeOf(keyBlob), fingerprint: fingerprintSha256(keyBlob) };
  const known = policy.knownHostsPath === null ? [] : await readKnownHosts(policy.knownHostsPath, id);
  if (known.some((k) => k.revoked && k.fingerprint === presented.fingerprint)) {
    throw mismatch(id, presented, [presented.fingerprint], "known_hosts (@revoked)", policy.knownHostsPath);
  }
  const trusted = known.filter((k) => !k.revoked);
  if (trusted.length > 0) {
    if (trusted.some((k) => k.fingerprint === presented.fingerprint)) return;
    const expected = trusted.map((k) => k.fingerprint);
    throw mismatch(id, presented, expected, "known_hosts", policy.knownHostsPath);
  }
  const pinned =
    (await policy.store.find(id.host, id.port)) ?? (await policy.store.pin(id.host, id.port, presented));
  if (pinned.fingerprint !== presented.fingerprint) {
    throw mismatch(id, presented, [pinned.fingerprint], "pinned", null);
  }
  await policy.store.touch(id.host, id.port);
}

async function readKnownHosts(path: string, id: HostIdentity): Promise<ReturnType<typeof knownHostKeys>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as { code?: unknown }).code === "ENOENT") return [];
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `cannot read known_hosts ${path}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return knownHostKeys(text, id.host, id.port);
}

function mismatch(
  id: HostIdentity,
  presented: { keyType: string; fingerprint: string },
  expected: string[],
  source: string,
  knownHostsPath: string | null,
): AppError {
  const trustHost = `bun mcp/src/cli.ts trust-host ${id.device ?? "<device>"}`;
  // A known_hosts entry is the operator's own file: we never edit it, so the fix starts there.
  const retrust =
    knownHostsPath === null
      ? trustHost
      : `ssh-keygen -R '${knownHostsName(id.host, id.port)}' -f ${knownHostsPath}, then ${trustHost}`;
  return new AppError(
    ErrorCode.HOST_KEY_MISMATCH,
    `host key of ${id.host}:${id.port} does not match (${source}): expected ${expected.join(" or ")}, ` +
      `presented ${presented.fingerprint} (${presented.keyType}). If the change is expected, re-trust with: ${retrust}`,
    {
      details: {
        host: id.host,
        port: id.port,
        source,
        expected_fingerprints: expected,
        presented_fingerprint: presented.fingerprint,
        presented_key_type: presented.keyType,
        retrust_command: retrust,
      },
    },
  );
}
