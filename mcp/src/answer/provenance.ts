import { z } from "zod";

/**
 * Where an answer about one device came from and how old it is. Every tool answer carries one per
 * device, so an LLM can say "as of 3 minutes ago" or "live" and notice stale data.
 */
export const ProvenanceSchema = z.object({
  device: z.string(),
  domain: z.string(),
  source: z.enum(["stored", "live", "none"]).describe("stored: from the database; live: read now over SSH"),
  observed_at: z.string().nullable().describe("when the data was collected on the host (ISO 8601)"),
  age_s: z.number().nullable().describe("seconds between observed_at and this answer"),
  stale: z.boolean().describe("older than the domain's freshness threshold"),
  live_error: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .describe("why a live read was attempted and failed; the stored data is shown instead"),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export function ageSeconds(observedAt: Date | null, now: Date): number | null {
  if (observedAt === null) return null;
  return Math.max(0, Math.round((now.getTime() - observedAt.getTime()) / 100) / 10);
}

/** "stored, 42 s old" / "live" / "stored, STALE (2 h old); live failed: HOST_UNREACHABLE" */
export function describeProvenance(p: Provenance): string {
  const age = p.age_s === null ? "no data" : `${formatAge(p.age_s)} old`;
  const parts = [`${p.device}: ${p.source}`, p.source === "live" ? "just now" : age];
  if (p.stale) parts.push("STALE");
  if (p.live_error) parts.push(`live failed: ${p.live_error.code}`);
  return parts.join(", ");
}

export function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
