import type { Collector, CollectResult } from "@infrastructor/lib/collect/collector.ts";
import { keepValid } from "@infrastructor/lib/collect/keep-valid.ts";
import { itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { toSourceResult } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { upsDomain } from "../domain.ts";
import { type UpsData, UpsDataSchema, UpsSchema } from "../schema.ts";
import { readUps, type UpsReadOptions } from "./read.ts";

export interface UpsCollectorOptions {
  executor: Executor;
  upsc?: string;
  /** Bound on each upsc call. */
  timeoutMs?: number;
}

export const UPS_INTERVAL_MS = upsDomain.intervalMs;

export function createUpsCollector(options: UpsCollectorOptions): Collector<"ups"> {
  const { executor } = options;
  const read: UpsReadOptions = { upsc: options.upsc ?? "upsc", timeoutMs: options.timeoutMs ?? 10_000 };

  async function collect(): Promise<CollectResult<"ups">> {
    const result = await toSourceResult(() => readUps(executor, read));
    if (!result.ok && result.error.code === ErrorCode.COMMAND_MISSING) {
      return {
        data: null,
        errors: [],
        unavailable: {
          code: ErrorCode.COMMAND_MISSING,
          reason: `${read.upsc} (Network UPS Tools client) is not installed`,
        },
      };
    }
    // A UPS the hub's schema would refuse (a figure out of bounds) is one more item error.
    const upsc: UpsData["upsc"] = result.ok
      ? (() => {
          const valid = keepValid(result.value.items, UpsSchema, (u) => u.name);
          return itemsResult({ items: valid.items, errors: [...result.value.errors, ...valid.errors] });
        })()
      : result;
    const checked = UpsDataSchema.safeParse({ upsc });
    if (!checked.success) {
      const message = `sample fails its schema: ${checked.error.message}`.slice(0, 1000);
      return { data: null, errors: [{ code: ErrorCode.INTERNAL, message, source: "ups" }] };
    }
    return { data: checked.data, errors: [] };
  }

  return { domain: "ups", defaultIntervalMs: UPS_INTERVAL_MS, collect };
}
