import { z } from "zod";
import type { Provenance } from "../../answer/provenance.ts";
import { compareRanked, IMPACTS, impactOf, type Rule, SEVERITIES, type Severity } from "./severity.ts";

export { SEVERITIES, type Severity } from "./severity.ts";

const RelatedSchema = z.object({
  domain: z.string(),
  what: z.string(),
  evidence: z.string(),
});

export const FindingSchema = z.object({
  severity: z.enum(SEVERITIES),
  impact: z.enum(IMPACTS).describe("what is at stake: data, service, capacity or hygiene"),
  rule: z.string().describe("the rule that found it (severity.ts RULES)"),
  magnitude: z.number().describe("how much (errors, restarts, % full, ...): orders findings of one rule"),
  device: z.string(),
  domain: z.string().describe("agent (reporting), system, smart, zfs, backups, updates, docker, logs"),
  what: z.string().describe("the problem in a few words"),
  evidence: z.string().describe("the numbers or messages it rests on"),
  related: z
    .array(RelatedSchema)
    .optional()
    .describe("facts of other domains merged into this finding (a failing drive of a degraded pool)"),
  source: z.enum(["stored", "live", "none"]),
  observed_at: z.string().nullable(),
  age_s: z.number().nullable().describe("how old the data behind the finding is"),
  stale: z.boolean(),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * What correlation needs and the answer does not show: a pool finding's member names, a drive
 * finding's identities. Dropped by `publicFinding` before the answer is built.
 */
export interface FindingHints {
  /** members: every vdev name (and `was` path); bad: the members not fine, in words; text: zpool's status. */
  pool?: { name: string; members: string[]; bad: string; text: string | null };
  drive?: { device: string; model: string | null; serial: string | null };
}
export type JudgedFinding = Finding & { hints?: FindingHints };

/** A finding about the data one provenance describes. */
export function finding(
  p: Provenance,
  rule: Rule,
  severity: Severity,
  what: string,
  evidence: string,
  magnitude = 0,
): JudgedFinding {
  return {
    severity,
    impact: impactOf(rule),
    rule,
    magnitude,
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

export function publicFinding(f: JudgedFinding): Finding {
  const { hints: _hints, ...rest } = f;
  return rest;
}

/** Worst first (severity.ts compareRanked): severity, impact, rule, magnitude; names only break ties. */
export function sortFindings<F extends Finding>(findings: F[]): F[] {
  return findings.sort(
    (a, b) =>
      compareRanked({ ...a, rule: a.rule as Rule }, { ...b, rule: b.rule as Rule }) ||
      a.domain.localeCompare(b.domain),
  );
}
