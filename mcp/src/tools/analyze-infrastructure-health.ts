import type { Domain } from "@infrastructor/shared/domains.ts";
import { z } from "zod";
import { describePage, PageArgs, PageSchema, paginate } from "../answer/paginate.ts";
import { formatAge } from "../answer/provenance.ts";
import type { McpConfig } from "../config.ts";
import type { DomainAnswer, LoadMode, ReadEvents } from "../domain-reader.ts";
import { type ProblemContainer, problemContainers } from "./containers/container-store.ts";
import { summarizeDevice } from "./devices/device-summary.ts";
import { type Finding, FindingSchema, sortFindings } from "./fleet/finding.ts";
import { liveDriveJudgements, storedDriveJudgements } from "./fleet/health-drives.ts";
import {
  backupFindings,
  type DriveJudgement,
  dockerFindings,
  driveFindings,
  systemFindings,
  updateFindings,
  zfsFindings,
} from "./fleet/health-rules.ts";
import { systemSuspect, zfsSuspect } from "./fleet/health-suspects.ts";
import { defineTool, READ_ONLY, type ToolContext } from "./tool.ts";

const DOMAINS = ["system", "smart", "zfs", "backups", "updates", "docker"] as const;
/**
 * What each domain's rules read of a stored payload. smart and docker: their tables (smart_drives,
 * docker_containers) in SQL; zfs: pools and status, never the dataset and snapshot lists; system:
 * what the thresholds look at, not interfaces, disks and sensors. zfs and system payloads are sent
 * only where the rules could flag them (health-suspects.ts); the others come `deferred`.
 */
function loadFor(domain: (typeof DOMAINS)[number], t: McpConfig["thresholds"]): LoadMode {
  switch (domain) {
    case "system":
      return { only: ["cpu", "memory", "load", "mounts"], when: systemSuspect(t) };
    case "zfs":
      return { only: ["pools", "status"], when: zfsSuspect(t) };
    case "smart":
    case "docker":
      return "status";
    case "backups":
    case "updates":
      return "payload";
  }
}

const CoverageSchema = z.object({
  domain: z.enum(DOMAINS),
  fresh: z.number().describe("devices with fresh stored or live data"),
  stale: z.number(),
  live: z.number().describe("read live over SSH for this answer"),
  unavailable: z.number().describe("the domain does not exist there (no zpool, no docker)"),
  missing: z.number(),
});

export const analyzeInfrastructureHealth = defineTool({
  name: "analyze_infrastructure_health",
  title: "Fleet health",
  description:
    "The whole fleet in one answer, worst first: devices not reporting, failing or degrading drives, ZFS " +
    "pools not ONLINE or with errors, late or failed backups, pending security updates and reboots, " +
    "containers unhealthy or restarting, hosts over the cpu/memory/disk thresholds. Each finding has a " +
    "severity (critical, warning, info), device, domain, what, evidence and the age of the data behind it. " +
    "Summary counts first; findings are paged. Stale devices with SSH are read live (progress is reported).",
  input: { ...PageArgs },
  output: {
    summary: z.object({
      devices: z.number(),
      reporting: z.number(),
      not_reporting: z.array(z.string()),
      critical: z.number(),
      warning: z.number(),
      info: z.number(),
      devices_with_findings: z.number(),
      thresholds: z.object({ cpu_pct: z.number(), mem_pct: z.number(), disk_pct: z.number() }),
    }),
    coverage: z
      .array(CoverageSchema)
      .describe("per domain: how many devices the findings rest on, and how fresh"),
    findings: z.array(FindingSchema),
    page: PageSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const devices = await ctx.store.listDevices();
    const now = new Date();
    const staleMs = ctx.domains.freshness.staleAfterMs("system");
    const findings: Finding[] = [];
    const notReporting: string[] = [];
    for (const row of devices) {
      const s = summarizeDevice(row, staleMs, now);
      if (s.reporting) continue;
      notReporting.push(s.name);
      findings.push({
        severity: "critical",
        device: s.name,
        domain: "agent",
        what: "not reporting",
        evidence: `${s.last_seen_age_s === null ? "never seen" : `last seen ${formatAge(s.last_seen_age_s)} ago`}; expected every ${formatAge(ctx.domains.freshness.intervalMs.system / 1000)}`,
        source: "stored",
        observed_at: s.last_seen,
        age_s: s.last_seen_age_s,
        stale: true,
      });
    }
    const coverage: z.infer<typeof CoverageSchema>[] = [];
    // Every domain's stored state at once, in one query, and alongside it the table rows smart and
    // docker are judged by; then, domain by domain, the stale devices read live (at most
    // MCP_LIVE_CONCURRENCY hosts at a time).
    const ids = devices.map((d) => d.id);
    const [stored, tables] = await Promise.all([
      ctx.domains.readStoredDomains(
        devices,
        new Map(DOMAINS.map((d) => [d, loadFor(d, ctx.config.thresholds)])),
      ),
      Promise.all([storedDriveJudgements(ctx.store, ids), problemContainers(ctx.store, ids)]),
    ]);
    const [drives, containers] = tables;
    for (const [index, domain] of DOMAINS.entries()) {
      const answers = await ctx.domains.fallBack(stored.get(domain) ?? [], events(ctx, index, domain));
      coverage.push(coverageOf(domain, answers));
      findings.push(...findingsOf(ctx, domain, answers, { drives, containers }));
    }
    sortFindings(findings);
    const count = (s: Finding["severity"]): number => findings.filter((f) => f.severity === s).length;
    const t = ctx.config.thresholds;
    const summary = {
      devices: devices.length,
      reporting: devices.length - notReporting.length,
      not_reporting: notReporting,
      critical: count("critical"),
      warning: count("warning"),
      info: count("info"),
      devices_with_findings: new Set(findings.filter((f) => f.severity !== "info").map((f) => f.device)).size,
      thresholds: { cpu_pct: t.cpuPct, mem_pct: t.memPct, disk_pct: t.diskPct },
    };
    const { items, page } = paginate(findings, args);
    const lines = [
      `${summary.devices} devices (${summary.reporting} reporting${notReporting.length ? `; NOT reporting: ${notReporting.join(", ")}` : ""}): ${summary.critical} critical, ${summary.warning} warning, ${summary.info} info.`,
      `data: ${coverage.map((c) => `${c.domain} ${c.fresh} fresh${c.stale ? `/${c.stale} stale` : ""}${c.live ? `/${c.live} live` : ""}`).join(", ")}`,
      describePage(page, "findings"),
      ...items.map(
        (f) =>
          `- [${f.severity}] ${f.device} ${f.domain}: ${f.what} (${f.evidence})${f.age_s === null ? "" : `; ${f.source} ${formatAge(f.age_s)} old${f.stale ? " STALE" : ""}`}`,
      ),
    ];
    return { structured: { summary, coverage, findings: items, page }, text: lines.join("\n") };
  },
});

/** Live fallback reports: a progress notification per device read live, a log line before each. */
function events(ctx: ToolContext, index: number, domain: Domain): ReadEvents {
  return {
    progress(done, total, device) {
      const progress = index + done / total;
      ctx
        .progress(progress, DOMAINS.length, `${domain}: read ${device} live (${done}/${total})`)
        .catch(() => {});
    },
    fallingBack(device, _domain, reason) {
      ctx.notify("info", `falling back to live SSH for ${device} (${domain}: ${reason})`).catch(() => {});
    },
  };
}

function coverageOf(
  domain: (typeof DOMAINS)[number],
  answers: DomainAnswer<Domain>[],
): z.infer<typeof CoverageSchema> {
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

/** What smart and docker are judged by when their answer is stored: rows of their tables. */
interface StoredTables {
  drives: Map<number, DriveJudgement[]>;
  containers: Map<number, ProblemContainer[]>;
}

function findingsOf(
  ctx: ToolContext,
  domain: (typeof DOMAINS)[number],
  answers: DomainAnswer<Domain>[],
  tables: StoredTables,
): Finding[] {
  const out: Finding[] = [];
  for (const answer of answers) {
    const p = answer.provenance;
    if (answer.status === "failed") {
      const e = answer.errors[0];
      out.push({
        ...findingBase(answer),
        severity: "info",
        what: `${domain} collection failing`,
        evidence: e === undefined ? "no detail" : `${e.code}: ${e.message}`,
      });
    }
    // A deferred answer has stored data too, only not loaded (nothing in it to flag).
    if (p.live_error !== undefined && (answer.data !== null || answer.deferred)) {
      out.push({
        ...findingBase(answer),
        severity: "info",
        what: `${domain} data stale, live read failed`,
        evidence: `${p.live_error.code}: ${p.live_error.message}`,
      });
    }
    const data = answer.data;
    if (domain === "smart") {
      const drives =
        p.source === "live"
          ? liveDriveJudgements(answer as DomainAnswer<"smart">)
          : p.source === "stored"
            ? (tables.drives.get(answer.device.id) ?? [])
            : [];
      out.push(...driveFindings(p, drives));
    }
    if (domain === "docker" && answer.deferred)
      out.push(...dockerFindings(p, tables.containers.get(answer.device.id) ?? []));
    if (data === null) continue;
    if (domain === "system")
      out.push(...systemFindings(p, data as DomainAnswer<"system">["data"] & object, ctx.config.thresholds));
    if (domain === "zfs")
      out.push(
        ...zfsFindings(p, data as DomainAnswer<"zfs">["data"] & object, ctx.config.thresholds.diskPct),
      );
    if (domain === "backups")
      out.push(...backupFindings(p, data as DomainAnswer<"backups">["data"] & object));
    if (domain === "updates")
      out.push(...updateFindings(p, data as DomainAnswer<"updates">["data"] & object));
    if (domain === "docker")
      out.push(...dockerFindings(p, (data as DomainAnswer<"docker">["data"] & object).containers));
  }
  return out;
}

function findingBase(answer: DomainAnswer<Domain>): Omit<Finding, "severity" | "what" | "evidence"> {
  const p = answer.provenance;
  return {
    device: p.device,
    domain: p.domain,
    source: p.source,
    observed_at: p.observed_at,
    age_s: p.age_s,
    stale: p.stale,
  };
}
