import { join } from "node:path";
import type { Collector } from "@infrastructor/lib/collect/collector.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { z } from "zod";
import { createLogsCollector } from "./index.ts";
import { logsOptions } from "./options.ts";
import { filePositionStore } from "./position-store.ts";

export type LogsOptions = z.infer<typeof logsOptions.schema>;

/**
 * The agent's logs collector: its read position kept in `<state_dir>/logs-position.json`. The config
 * has validated the options already; parsing again fills the defaults with their types.
 */
export function buildLogsCollector(
  executor: Executor,
  hostRoot: string,
  options: Partial<LogsOptions>,
): Collector<"logs"> {
  const o = logsOptions.schema.parse(options);
  return createLogsCollector({
    executor,
    store: filePositionStore(join(o.state_dir, "logs-position.json")),
    hostRoot,
    priority: o.priority,
    maxLines: o.max_lines,
    maxBytes: o.max_bytes,
    syslogPaths: o.syslog_paths,
  });
}
