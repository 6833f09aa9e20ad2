/**
 * TimescaleDB versions before 2.18.1 lose rows silently: `INSERT ... SELECT ... ON CONFLICT DO NOTHING`
 * (the collector's duplicate path) stops at the first row that matches a row in a compressed chunk, and
 * every later row of the statement is dropped while the statement reports success (timescale/timescaledb
 * issue #7672, fixed in 2.18.1). The schema refuses to run on them.
 */
export const FIRST_FIXED_VERSION = "2.18.1";
/** The version docker-compose.yaml and the docs pin. */
export const PINNED_VERSION = "2.19.3";
export const ROW_LOSS_ISSUE = "timescale/timescaledb#7672";

export interface ParsedVersion {
  parts: [number, number, number];
  /** "-rc1", "-dev", "-beta2": a build before the release of the same number. */
  prerelease: boolean;
}

/** "2.17.2" -> [2, 17, 2]; "2.18.1-rc1" -> [2, 18, 1] prerelease; null when it is not a version. */
export function parseVersion(text: string): ParsedVersion | null {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (match === null) return null;
  return {
    parts: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)],
    prerelease: match[4] !== undefined,
  };
}

/**
 * Whether this TimescaleDB version has the silent row loss. A pre-release of 2.18.1 may predate the
 * fix, so it counts as affected; a version string that is not one is treated as affected too: the
 * point is never to run on a version nobody checked.
 */
export function losesRowsOnConflict(version: string): boolean {
  const parsed = parseVersion(version);
  return parsed === null || compareVersions(parsed, parseVersion(FIRST_FIXED_VERSION) as ParsedVersion) < 0;
}

/** Negative when a is older than b; a pre-release sorts before the release of its number. */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  for (let i = 0; i < 3; i += 1) {
    const d = (a.parts[i] as number) - (b.parts[i] as number);
    if (d !== 0) return d;
  }
  return Number(b.prerelease) - Number(a.prerelease);
}

/** The newest of these versions that does not lose rows, or null. */
export function newestFixed(versions: string[]): string | null {
  let best: { text: string; parsed: ParsedVersion } | null = null;
  for (const text of versions) {
    const parsed = parseVersion(text);
    if (parsed === null || losesRowsOnConflict(text)) continue;
    if (best === null || compareVersions(parsed, best.parsed) > 0) best = { text, parsed };
  }
  return best?.text ?? null;
}

/**
 * Why the schema will not run on `installed` and what fixes it. `upgradable`: a fixed version is
 * already on the server (the package was upgraded, the database's extension was not).
 */
export function rowLossRefusal(
  installed: string,
  where: "created" | "default",
  upgradable: string | null,
): string {
  const what =
    where === "created"
      ? `this database's timescaledb extension is version ${installed}`
      : `this server would create timescaledb version ${installed}`;
  const fix =
    upgradable !== null
      ? `version ${upgradable} is installed on the server: run ALTER EXTENSION timescaledb UPDATE as the database superuser, as the first command of a new session (psql -X), then start again`
      : `upgrade TimescaleDB to ${FIRST_FIXED_VERSION} or later (docker-compose.yaml pins timescale/timescaledb:${PINNED_VERSION}-pg16), then ALTER EXTENSION timescaledb UPDATE`;
  return `${what}, which silently drops rows of INSERT ... ON CONFLICT DO NOTHING that meet compressed chunks (${ROW_LOSS_ISSUE}, fixed in ${FIRST_FIXED_VERSION}): ${fix}`;
}
