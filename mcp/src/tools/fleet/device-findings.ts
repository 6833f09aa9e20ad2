import { dockerFindings } from "@infrastructor/domains/docker/server/health.ts";
import { SERVER_DOMAINS } from "@infrastructor/domains/server.ts";
import { payloadFindings } from "@infrastructor/domains/server-domain.ts";
import { liveDriveJudgements } from "@infrastructor/domains/smart/server/health.ts";
import type { Freshness } from "@infrastructor/lib/db/freshness.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import type { McpConfig } from "../../config.ts";
import type { DomainAnswer } from "../../domain-reader.ts";
import type { DeviceRow } from "../../store/store.ts";
import { correlateDrivesWithPools } from "./correlate.ts";
import { type Finding, type JudgedFinding, publicFinding, sortFindings } from "./finding.ts";
import { notReportingFinding } from "./health-check.ts";
import {
  backupFindings,
  driveFindings,
  systemFindings,
  updateFindings,
  zfsFindings,
} from "./health-rules.ts";

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
    if (domain === "system")
      out.push(...systemFindings(p, data as DomainAnswer<"system">["data"] & object, deps.thresholds));
    if (domain === "zfs")
      out.push(...zfsFindings(p, data as DomainAnswer<"zfs">["data"] & object, deps.thresholds.diskPct));
    if (domain === "smart")
      out.push(...driveFindings(p, liveDriveJudgements(answer as DomainAnswer<"smart">)));
    if (domain === "backups")
      out.push(...backupFindings(p, data as DomainAnswer<"backups">["data"] & object));
    if (domain === "updates")
      out.push(...updateFindings(p, data as DomainAnswer<"updates">["data"] & object));
    if (domain === "docker")
      out.push(...dockerFindings(p, (data as DomainAnswer<"docker">["data"] & object).containers));
    out.push(...payloadFindings(SERVER_DOMAINS[domain], p, data));
  }
  return sortFindings(correlateDrivesWithPools(out)).map(publicFinding);
}
