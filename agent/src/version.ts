/**
 * The one place the agent's version lives; every envelope carries it so the collector can tell which
 * agent build produced a sample. Bump with a release. The build script may replace it at compile time
 * with `--define AGENT_VERSION_OVERRIDE=...` (e.g. from `git describe`).
 */
declare const AGENT_VERSION_OVERRIDE: string | undefined;

export const AGENT_VERSION: string =
  typeof AGENT_VERSION_OVERRIDE === "string" ? AGENT_VERSION_OVERRIDE : "0.1.0";
