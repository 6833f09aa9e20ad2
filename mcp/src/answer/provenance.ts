import { z } from "zod";

/**
 * A read that produced data but not all of it: which sources failed beside the ones read, and which
 * items (a pool, a container, a log line) a parser could not read. Absent when nothing was left out.
 */
export const PartialReadSchema = z.object({
  failed_sources: z.array(z.string()).describe("sources that failed while the others were read"),
  skipped_items: z.number().describe("items that could not be read and were left out"),
  skipped: z
    .array(z.object({ source: z.string(), name: z.string().nullable(), code: z.string() }))
    .describe("the first of those items, by source and name"),
});
export type PartialRead = z.infer<typeof PartialReadSchema>;

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
  partial: PartialReadSchema.optional().describe("the live read left something out (see PartialRead)"),
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
  if (p.partial) parts.push(describePartial(p.partial));
  return parts.join(", ");
}

/** "PARTIAL: hwmon, proc/stat failed; 2 items skipped (pools: tank, pools: ?)" */
export function describePartial(p: PartialRead): string {
  const parts: string[] = [];
  if (p.failed_sources.length > 0) parts.push(`${p.failed_sources.join(", ")} failed`);
  if (p.skipped_items > 0) {
    const named = p.skipped.map((s) => `${s.source}: ${s.name ?? "?"}`);
    const more = p.skipped_items > named.length ? `, +${p.skipped_items - named.length} more` : "";
    const which = named.length === 0 ? "" : ` (${named.join(", ")}${more})`;
    parts.push(`${p.skipped_items} item${p.skipped_items === 1 ? "" : "s"} skipped${which}`);
  }
  return `PARTIAL: ${parts.join("; ")}`;
}

export function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
