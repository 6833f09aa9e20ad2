import type { Domain } from "@infrastructor/shared/domains.ts";
import type { McpConfig } from "../../config.ts";
import type { DomainAnswer } from "../../domain-reader.ts";
import type { JudgedFinding } from "./finding.ts";
import type { History } from "./health-check.ts";

export interface HealthWindow {
  /** How far back the history rules look (logs, growth, restarts). */
  windowH: number;
  /** A mount full within this many days at its growth is a finding. */
  fullWithinDays: number;
}

export interface HealthContext {
  thresholds: McpConfig["thresholds"];
  /**
   * What the tables say, read once for every device (the fleet check); null where only the payloads
   * are judged (a device's status resource), which leaves out the rules that need history.
   */
  tables: { history: History; window: HealthWindow } | null;
}

/**
 * A domain's health rules: the findings of one device's answer, unsorted (the fleet check orders them
 * by the one severity model). Declared in shared/domains/<domain>/server/health.ts and listed in the
 * domain's server half; the fleet check, the device status resource and alerts share them. Runs for
 * every answer, with data or not (a deferred or failed answer may still have history to judge).
 */
export interface DomainHealth<D extends Domain> {
  findings(answer: DomainAnswer<D>, ctx: HealthContext): JudgedFinding[];
}
