import { formatAge } from "../../answer/provenance.ts";
import type { Finding } from "./finding.ts";

/**
 * What the finding lines of one answer may spend (about 4 characters a token: ~2,250 tokens, leaving
 * room for the summary lines within the ~2,500 a fleet-wide answer should stay under).
 */
export const FINDING_TEXT_BUDGET = 9_000;
const MAX_EVIDENCE = 400;
const MIN_EVIDENCE = 60;

/**
 * One line per finding: severity and impact, device, domain, what (with its numbers), the evidence
 * cut to share the budget (whole in structuredContent), the data's source and age.
 */
export function findingLines(findings: readonly Finding[], budget = FINDING_TEXT_BUDGET): string[] {
  const heads = findings.map((f) => `- [${f.severity}/${f.impact}] ${f.device} ${f.domain}: ${f.what}`);
  const tails = findings.map((f) =>
    f.age_s === null ? "" : `; ${f.source} ${formatAge(f.age_s)} old${f.stale ? " STALE" : ""}`,
  );
  const fixed = heads.reduce((n, h, i) => n + h.length + (tails[i]?.length ?? 0) + 4, 0);
  const share = Math.floor((budget - fixed) / Math.max(1, findings.length));
  const room = Math.max(MIN_EVIDENCE, Math.min(MAX_EVIDENCE, share));
  return findings.map((f, i) => `${heads[i]} (${clip(f.evidence, room)})${tails[i]}`);
}

function clip(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 3)}...`;
}
