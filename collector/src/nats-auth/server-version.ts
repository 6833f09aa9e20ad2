/**
 * nats-server before 2.9.15 overflows its stack and exits when a message that crosses a service import
 * (a host's publish into JetStream, account-jwt.ts) carries a reply subject with a wildcard: any host
 * could stop the server. Fixed upstream in nats-io/nats-server#3862 (February 2023); Debian 12 ships
 * 2.9.10. JetStream keeps its data on disk, so a restart loses nothing, but the fleet stops until then.
 */
const FIXED = [2, 9, 15] as const;

/** true when `version` (as the server's INFO reports it, e.g. "2.9.10") predates the fix. */
export function crashesOnWildcardReply(version: string): boolean {
  const parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (parts === null) return false; // an unknown form: not ours to judge, and never a false alarm path
  const [major, minor, patch] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  for (const [have, fixed] of [
    [major, FIXED[0]],
    [minor, FIXED[1]],
    [patch, FIXED[2]],
  ] as const) {
    if (have !== fixed) return have < fixed;
  }
  return false;
}
