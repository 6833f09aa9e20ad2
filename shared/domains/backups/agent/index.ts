import { boundedItemErrors } from "@infrastructor/lib/collect/bounded-item-errors.ts";
import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { backupsDomain } from "../domain.ts";
import { BackupsDataSchema, type ProbeResult } from "../schema.ts";
import { type Observation, observe } from "./observe.ts";
import type { ProbeConfig } from "./options.ts";

export interface BackupsCollectorOptions {
  executor: Executor;
  probes?: readonly ProbeConfig[];
  /** Bound on each probe's command (seconds). */
  timeout_s?: number;
  /** Wall clock (ms since the epoch): ages are measured against it. */
  clock?: () => number;
}

export const BACKUPS_INTERVAL_MS = backupsDomain.intervalMs;

export function createBackupsCollector(options: BackupsCollectorOptions): Collector<"backups"> {
  const { executor, probes = [] } = options;
  const timeoutMs = (options.timeout_s ?? 120) * 1000;
  const clock = options.clock ?? Date.now;

  async function collect(): Promise<CollectResult<"backups">> {
    if (probes.length === 0) {
      return {
        data: null,
        errors: [],
        unavailable: { code: ErrorCode.NOT_FOUND, reason: "no backup probes configured" },
      };
    }
    const results: ProbeResult[] = [];
    // One at a time: restic and borg read whole repository indexes; in parallel they would compete.
    for (const probe of probes) {
      try {
        results.push(judge(probe, await observe(probe, { executor, timeoutMs }), clock()));
      } catch (err) {
        const e = toAppError(err, ErrorCode.INTERNAL);
        results.push(
          result(probe, "failed", null, clock(), { code: e.code, message: e.message.slice(0, 1000) }),
        );
      }
    }
    const checked = BackupsDataSchema.safeParse({ probes: results });
    if (!checked.success) {
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      return { data: null, errors: [{ code: ErrorCode.INTERNAL, message, source: "backups" }] };
    }
    return { data: checked.data, errors: [] };
  }

  return { domain: "backups", defaultIntervalMs: BACKUPS_INTERVAL_MS, collect };
}

/**
 * ok while the newest backup is younger than max_age_h, late after; failed when there is none, or
 * when none of those listed could be read (then the first one's error says why).
 */
export function judge(probe: ProbeConfig, seen: Observation, nowMs: number): ProbeResult {
  const [unreadable] = seen.item_errors;
  if (seen.last === null && unreadable !== undefined) {
    const n = seen.item_errors.length;
    const message = `none of ${n} listed backup(s) could be read: ${unreadable.error.message}`;
    return result(probe, "failed", seen, nowMs, {
      code: unreadable.error.code,
      message: message.slice(0, 1000),
    });
  }
  if (seen.last === null) {
    return result(probe, "failed", seen, nowMs, { code: ErrorCode.NOT_FOUND, message: "no backup found" });
  }
  const ageS = Math.max(0, (nowMs - seen.last.getTime()) / 1000);
  return result(probe, ageS > probe.max_age_h * 3600 ? "late" : "ok", seen, nowMs, null);
}

function result(
  probe: ProbeConfig,
  status: ProbeResult["status"],
  seen: Observation | null,
  nowMs: number,
  error: ProbeResult["error"],
): ProbeResult {
  const last = seen?.last ?? null;
  return {
    name: probe.name,
    kind: probe.kind,
    status,
    max_age_h: probe.max_age_h,
    last_success_at: last === null ? null : last.toISOString(),
    age_s: last === null ? null : Math.max(0, (nowMs - last.getTime()) / 1000),
    size_bytes: seen?.size_bytes ?? null,
    item_count: seen?.item_count ?? null,
    error,
    // The unreadable snapshots or archives, bounded as every list's item errors are.
    ...boundedItemErrors(seen?.item_errors ?? []),
  };
}
