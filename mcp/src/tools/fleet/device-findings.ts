import type { Freshness } from "@infrastructor/lib/db/freshness.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { McpConfig } from "../../config.ts";
import type { DomainAnswer } from "../../domain-reader.ts";
import type { DeviceRow } from "../../store/store.ts";
import { correlateDrivesWithPools } from "./correlate.ts";
import { type Finding, type JudgedFinding, publicFinding, sortFindings } from "./finding.ts";
import { HEALTH_DOMAINS, type HealthDomain, healthOf, notReportingFinding } from "./health-check.ts";

/**
 * One device's findings from its stored payloads alone, by the fleet check's rules and severity
 * model (the history rules, which read the tables, are analyze_infrastructure_health's): what the
 * device status resource says of the device and of each domain. Worst first.
 */
export function deviceFindings(
  device: DeviceRow,
  answers: readonly DomainAnswer<Domain>[],
  deps: { freshness: Freshness; thresholds: McpConfig["thresholds"] },
  now: Date,
): Finding[] {
  const out: JudgedFinding[] = [];
  const down = notReportingFinding(
    { domains: { freshness: deps.freshness } },
    device,
    deps.freshness.staleAfterMs("system"),
    now,
  );
  if (down !== null) out.push(down);
  for (const answer of answers) {
    const p = answer.provenance;
    const data = answer.data;
    if (data === null) continue;
    const domain = p.domain as Domain;
    if (!HEALTH_DOMAINS.includes(domain as HealthDomain)) continue;
    // The payload alone: the rules that need the tables' history are the fleet check's.
    out.push(
      ...healthOf(domain as HealthDomain).findings(answer as never, {
        thresholds: deps.thresholds,
        tables: null,
      }),
    );
  }
  return sortFindings(correlateDrivesWithPools(out)).map(publicFinding);
}
