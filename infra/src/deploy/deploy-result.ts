import { textTable } from "../text-table.ts";

/** How one host's deploy ended. */
export type DeployOutcome = "installed" | "upgraded" | "unchanged" | "rolled back" | "failed";

export interface DeployResult {
  host: string;
  /** linux-<arch>, null when the deploy failed before it was known. */
  arch: string | null;
  /** `<agent version> (<sha256, 12 hex>)` of the binary before and after; null: none installed. */
  before: string | null;
  after: string | null;
  outcome: DeployOutcome;
  /** Why it failed or was rolled back (`CODE: message`); empty when it went well. */
  reason: string;
  seconds: number;
}

/** The summary printed at the end of `infra deploy`: one row per host, in the order given. */
export function summaryTable(results: readonly DeployResult[]): string {
  const rows = results.map((r) => [
    r.host,
    r.arch ?? "-",
    r.before ?? "-",
    r.after ?? "-",
    r.reason === "" ? r.outcome : `${r.outcome}: ${r.reason}`,
    r.seconds.toFixed(1),
  ]);
  const ok = results.filter((r) => r.outcome !== "failed" && r.outcome !== "rolled back").length;
  return `${textTable(["host", "arch", "before", "after", "result", "seconds"], rows, {
    right: ["seconds"],
  })}\n${ok} of ${results.length} host(s) deployed`;
}

/** `0.1.0 (1a2b3c4d5e6f)`: the version alone does not change between builds, the binary's hash does. */
export function versionLabel(version: string | null, sha256: string | null): string | null {
  if (version === null && sha256 === null) return null;
  return `${version ?? "?"} (${sha256 === null ? "?" : sha256.slice(0, 12)})`;
}
