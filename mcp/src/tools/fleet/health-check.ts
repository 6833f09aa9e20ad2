import { RESTART_LOOP_MIN_RISE } from "@infrastructor/domains/docker/server/health.ts";
import type { ProblemContainer } from "@infrastructor/domains/docker/server/tools/containers/container-store.ts";
import { kernelLogFindings } from "@infrastructor/domains/logs/server/health.ts";
import { SERVER_DOMAINS } from "@infrastructor/domains/server.ts";
import type { DriveJudgement } from "@infrastructor/domains/smart/server/health.ts";
import type { Freshness } from "@infrastructor/lib/db/freshness.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { ageSeconds, formatAge, type Provenance } from "../../answer/provenance.ts";
import type { DomainAnswer } from "../../domain-reader.ts";
import type { DeviceRow } from "../../store/store.ts";
import { summarizeDevice } from "../devices/device-summary.ts";
import type { ToolContext } from "../tool.ts";
import type { DomainHealth, HealthWindow } from "./domain-health.ts";
import { finding, type JudgedFinding } from "./finding.ts";
import {
  kernelLogLines,
  mountGrowth,
  neverSucceededBackups,
  restartRises,
  troubledComposeProjects,
} from "./health-history.ts";

/** The domains with health rules (their server half declares them), in the registry's order. */
export type HealthDomain = {
  [D in Domain]: (typeof SERVER_DOMAINS)[D] extends { health: unknown } ? D : never;
}[Domain];
export const HEALTH_DOMAINS = (Object.keys(SERVER_DOMAINS) as Domain[]).filter(
  (d): d is HealthDomain => (SERVER_DOMAINS[d] as { health?: unknown }).health !== undefined,
) as [HealthDomain, ...HealthDomain[]];

/** A domain's health rules, as its server half declares them. */
export function healthOf<D extends HealthDomain>(domain: D): DomainHealth<D> {
  return (SERVER_DOMAINS[domain] as { health?: unknown }).health as DomainHealth<D>;
}

export type { HealthWindow };

/** A device whose agent went quiet: critical (a host down). */
export function notReportingFinding(
  ctx: { domains: { freshness: Freshness } },
  row: DeviceRow,
  staleMs: number,
  now: Date,
): JudgedFinding | null {
  const s = summarizeDevice(row, staleMs, now);
  if (s.reporting) return null;
  const seen = s.last_seen_age_s === null ? "never seen" : `last seen ${formatAge(s.last_seen_age_s)} ago`;
  const p: Provenance = {
    device: s.name,
    domain: "agent",
    source: "stored",
    observed_at: s.last_seen,
    age_s: s.last_seen_age_s,
    stale: true,
  };
  const expected = formatAge(ctx.domains.freshness.intervalMs.system / 1000);
  // The longer silent, the larger: minus the last-seen time (Unix seconds), which unlike an age does
  // not move between two calls (pages stay in step); a host never seen ranks first.
  const magnitude =
    row.last_seen === null ? Number.MAX_SAFE_INTEGER : -Math.round(new Date(row.last_seen).getTime() / 1000);
  return finding(
    p,
    "host_down",
    "critical",
    "not reporting",
    `${seen}; expected every ${expected}`,
    magnitude,
  );
}

/** OOM kills and kernel I/O errors of each device's stored logs, as of the newest line found. */
export function logFindings(
  devices: readonly DeviceRow[],
  logs: History["logs"],
  w: HealthWindow,
  now: Date,
): JudgedFinding[] {
  return devices.flatMap((d) => {
    const lines = logs.get(d.id) ?? [];
    if (lines.length === 0) return [];
    const newest = lines.reduce((a, b) => (b.time > a.time ? b : a)).time;
    const p: Provenance = {
      device: d.hostname,
      domain: "logs",
      source: "stored",
      observed_at: newest.toISOString(),
      age_s: ageSeconds(newest, now),
      stale: false,
    };
    return kernelLogFindings(p, lines, w.windowH);
  });
}

/** What the history says, read for every device at once and judged per device. */
export interface History {
  logs: Awaited<ReturnType<typeof kernelLogLines>>;
  growth: Awaited<ReturnType<typeof mountGrowth>>;
  restarts: Awaited<ReturnType<typeof restartRises>>;
  compose: Awaited<ReturnType<typeof troubledComposeProjects>>;
  neverBackups: Awaited<ReturnType<typeof neverSucceededBackups>>;
  drives: Map<number, DriveJudgement[]>;
  containers: Map<number, ProblemContainer[]>;
}

export async function readHistory(
  ctx: Pick<ToolContext, "store">,
  ids: readonly number[],
  w: HealthWindow,
  now: Date,
): Promise<Omit<History, "drives" | "containers">> {
  const since = new Date(now.getTime() - w.windowH * 3_600_000);
  const [logs, growth, restarts, compose, neverBackups] = await Promise.all([
    kernelLogLines(ctx.store, ids, since),
    mountGrowth(ctx.store, ids, since, now, w.fullWithinDays),
    restartRises(ctx.store, ids, since, RESTART_LOOP_MIN_RISE),
    troubledComposeProjects(ctx.store, ids),
    neverSucceededBackups(ctx.store, ids),
  ]);
  return { logs, growth, restarts, compose, neverBackups };
}

/** The findings of one domain's answers: stored ones judged with their tables, live ones by themselves. */
export function findingsOf(
  ctx: Pick<ToolContext, "config">,
  domain: HealthDomain,
  answers: DomainAnswer<Domain>[],
  h: History,
  w: HealthWindow,
): JudgedFinding[] {
  const out: JudgedFinding[] = [];
  for (const answer of answers) {
    const p = answer.provenance;
    const _id = answer.device.id;
    const _stored = p.source === "stored";
    if (answer.status === "failed") {
      const e = answer.errors[0];
      out.push({
        ...finding(
          p,
          "collection_failing",
          "info",
          `${domain} collection failing`,
          e === undefined ? "no detail" : `${e.code}: ${e.message}`,
        ),
      });
    }
    // A deferred answer has stored data too, only not loaded (nothing in it to flag).
    if (p.live_error !== undefined && (answer.data !== null || answer.deferred)) {
      out.push(
        finding(
          p,
          "live_read_failed",
          "info",
          `${domain} data stale, live read failed`,
          `${p.live_error.code}: ${p.live_error.message}`,
        ),
      );
    }
    out.push(
      ...healthOf(domain).findings(answer as never, {
        thresholds: ctx.config.thresholds,
        tables: { history: h, window: w },
      }),
    );
  }
  return out;
}
