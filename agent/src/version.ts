/**
 * The one place the agent's version lives; every envelope carries it, so the collector can tell which
 * agent build produced a sample. Bump it with a release.
 */
export const AGENT_VERSION = "0.1.0";
