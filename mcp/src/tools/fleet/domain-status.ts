import type { Freshness } from "@infrastructor/lib/db/freshness.ts";
import { type Domain, DomainSchemas, isKnownDomain } from "@infrastructor/shared/domains.ts";
import { z } from "zod";
import { ageSeconds } from "../../answer/provenance.ts";
import type { DeviceRow, LatestStateRow } from "../../store/store.ts";

export const DomainStatusSchema = z.object({
  domain: z.string(),
  status: z.enum(["ok", "failed", "unavailable", "missing"]),
  observed_at: z.string().nullable(),
  age_s: z.number().nullable(),
  stale: z.boolean().describe("older than this domain's freshness threshold (3x its interval by default)"),
  stale_after_s: z.number(),
  problem: z
    .object({ code: z.string(), message: z.string() })
    .nullable()
    .describe("why it failed or is unavailable"),
});
export type DomainStatus = z.infer<typeof DomainStatusSchema>;

const RANK: Record<DomainStatus["status"], number> = { failed: 0, ok: 1, unavailable: 2, missing: 3 };

/**
 * One row per known domain from the latest-state rows of one device: the same reading of a row as the
 * domain reader's (an unavailable domain is as fresh as the agent's last sign of life). Failed first.
 */
export function domainStatuses(
  device: DeviceRow,
  rows: readonly LatestStateRow[],
  freshness: Freshness,
  now: Date,
): DomainStatus[] {
  const byDomain = new Map(rows.filter((r) => isKnownDomain(r.domain)).map((r) => [r.domain as Domain, r]));
  const statuses = (Object.keys(DomainSchemas) as Domain[]).map((domain): DomainStatus => {
    const staleAfterS = freshness.staleAfterMs(domain) / 1000;
    const row = byDomain.get(domain);
    if (row === undefined) {
      return {
        domain,
        status: "missing",
        observed_at: null,
        age_s: null,
        stale: true,
        stale_after_s: staleAfterS,
        problem: null,
      };
    }
    const observed =
      row.status === "unavailable" && device.last_seen !== null
        ? new Date(Math.max(new Date(row.status_at).getTime(), new Date(device.last_seen).getTime()))
        : new Date(row.collected_at);
    const first = (row.errors as { code?: string; message?: string }[] | null)?.[0];
    return {
      domain,
      status: row.status,
      observed_at: observed.toISOString(),
      age_s: ageSeconds(observed, now),
      stale: freshness.isStale(domain, observed, now),
      stale_after_s: staleAfterS,
      problem:
        row.status === "ok" || first === undefined
          ? null
          : { code: first.code ?? "UNKNOWN", message: first.message ?? "" },
    };
  });
  return statuses.sort((a, b) => RANK[a.status] - RANK[b.status] || a.domain.localeCompare(b.domain));
}
