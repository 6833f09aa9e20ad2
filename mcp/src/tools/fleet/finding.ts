import { z } from "zod";
import type { Provenance } from "../../answer/provenance.ts";

export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FindingSchema = z.object({
  severity: z.enum(SEVERITIES),
  device: z.string(),
  domain: z.string().describe("agent (reporting), system, smart, zfs, backups, updates, docker"),
  what: z.string().describe("the problem in a few words"),
  evidence: z.string().describe("the numbers or messages it rests on"),
  source: z.enum(["stored", "live", "none"]),
  observed_at: z.string().nullable(),
  age_s: z.number().nullable().describe("how old the data behind the finding is"),
  stale: z.boolean(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** A finding about the data one provenance describes. */
export function finding(p: Provenance, severity: Severity, what: string, evidence: string): Finding {
  return {
    severity,
    device: p.device,
    domain: p.domain,
    what,
    evidence,
    source: p.source,
    observed_at: p.observed_at,
    age_s: p.age_s,
    stale: p.stale,
  };
}

/** Worst first, then by device, domain and what (stable for paging). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      a.device.localeCompare(b.device) ||
      a.domain.localeCompare(b.domain) ||
      a.what.localeCompare(b.what),
  );
}
