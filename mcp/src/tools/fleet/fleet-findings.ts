import { problemContainers } from "@infrastructor/domains/docker/server/tools/containers/container-store.ts";
import { storedDriveJudgements } from "@infrastructor/domains/smart/server/health.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { z } from "zod";
import type { McpConfig } from "../../config.ts";
import type { DomainAnswer, LoadMode, ReadEvents } from "../../domain-reader.ts";
import type { DeviceRow } from "../../store/store.ts";
import type { ToolContext } from "../tool.ts";
import type { JudgedFinding } from "./finding.ts";
import {
  findingsOf,
  HEALTH_DOMAINS,
  type HealthWindow,
  logFindings,
  notReportingFinding,
  readHistory,
} from "./health-check.ts";
import { systemSuspect, zfsSuspect } from "./health-suspects.ts";

/**
 * What each domain's rules read of a stored payload. smart and docker: their tables (smart_drives,
 * docker_containers) in SQL; zfs: pools and status, never the dataset and snapshot lists; system:
 * what the thresholds look at, not interfaces, disks and sensors. zfs and system payloads are sent
 * only where the rules could flag them (health-suspects.ts); the others come `deferred`.
 */
function loadFor(domain: (typeof HEALTH_DOMAINS)[number], t: McpConfig["thresholds"]): LoadMode {
  switch (domain) {
    case "system":
      return { only: ["cpu", "memory", "load", "mounts", "temperatures"], when: systemSuspect(t) };
    case "zfs":
      return { only: ["pools", "status"], when: zfsSuspect(t) };
    case "smart":
    case "docker":
      return "status";
    default:
      // backups, updates and every domain judged by its server half's health rules.
      return "payload";
  }
}

export const CoverageSchema = z.object({
  domain: z.enum(HEALTH_DOMAINS),
  fresh: z.number().describe("devices with fresh stored or live data"),
  stale: z.number(),
  live: z.number().describe("read live over SSH for this answer"),
  unavailable: z.number().describe("the domain does not exist there (no zpool, no docker)"),
  missing: z.number(),
});
export type Coverage = z.infer<typeof CoverageSchema>;

export interface FleetFindings {
  devices: DeviceRow[];
  /** Unsorted and uncorrelated: the caller sorts (and correlates) them. */
  judged: JudgedFinding[];
  notReporting: string[];
  coverage: Coverage[];
}

/**
 * Every finding of the fleet health check: hosts not reporting, each domain's rules over every
 * device, the stored logs' kernel findings. `live: true` reads stale devices live over SSH (the MCP
 * tool); the alert engine reads stored data only (`live: false`): an evaluation every half minute
 * must not open SSH sessions to the fleet, and a silent host is itself the finding.
 */
export async function fleetFindings(
  ctx: Pick<ToolContext, "store" | "domains" | "config">,
  w: HealthWindow,
  now: Date,
  options: { live: boolean; events?: (index: number, domain: Domain) => ReadEvents },
): Promise<FleetFindings> {
  const devices = await ctx.store.listDevices();
  const staleMs = ctx.domains.freshness.staleAfterMs("system");
  const judged: JudgedFinding[] = [];
  for (const row of devices) {
    const down = notReportingFinding(ctx, row, staleMs, now);
    if (down !== null) judged.push(down);
  }
  const notReporting = judged.map((f) => f.device);
  const coverage: Coverage[] = [];
  // Every domain's stored state at once, in one query, and alongside it the table rows smart and
  // docker are judged by and the history the other rules read; then, domain by domain, the stale
  // devices read live when asked (at most MCP_LIVE_CONCURRENCY hosts at a time).
  const ids = devices.map((d) => d.id);
  const [stored, drives, containers, history] = await Promise.all([
    ctx.domains.readStoredDomains(
      devices,
      new Map(HEALTH_DOMAINS.map((d) => [d, loadFor(d, ctx.config.thresholds)])),
    ),
    storedDriveJudgements(ctx.store, ids),
    problemContainers(ctx.store, ids),
    readHistory(ctx, ids, w, now),
  ]);
  const h = { ...history, drives, containers };
  for (const [index, domain] of HEALTH_DOMAINS.entries()) {
    const storedAnswers = stored.get(domain) ?? [];
    const answers = options.live
      ? await ctx.domains.fallBack(storedAnswers, options.events?.(index, domain))
      : [...storedAnswers];
    coverage.push(coverageOf(domain, answers));
    judged.push(...findingsOf(ctx, domain, answers, h, w));
  }
  judged.push(...logFindings(devices, h.logs, w, now));
  return { devices, judged, notReporting, coverage };
}

function coverageOf(domain: (typeof HEALTH_DOMAINS)[number], answers: DomainAnswer<Domain>[]): Coverage {
  const with_ = (pred: (a: DomainAnswer<Domain>) => boolean): number => answers.filter(pred).length;
  const collected = (a: DomainAnswer<Domain>): boolean => a.status === "ok" || a.status === "failed";
  return {
    domain,
    fresh: with_((a) => collected(a) && !a.provenance.stale),
    stale: with_((a) => collected(a) && a.provenance.stale),
    live: with_((a) => a.provenance.source === "live"),
    unavailable: with_((a) => a.status === "unavailable"),
    missing: with_((a) => a.status === "missing"),
  };
}
