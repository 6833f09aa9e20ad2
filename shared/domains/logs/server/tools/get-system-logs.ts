import { describePage, PageArgs, PageSchema } from "@infrastructor/mcp/answer/paginate.ts";
import {
  describeProvenance,
  type Provenance,
  ProvenanceSchema,
} from "@infrastructor/mcp/answer/provenance.ts";
import { DeviceArg, SearchArg, ServiceArg, SinceArg, sinceToDate } from "@infrastructor/mcp/args/names.ts";
import { agentConfigOf } from "@infrastructor/mcp/live/collector-live-source.ts";
import { requireData } from "@infrastructor/mcp/tools/common/domain-data.ts";
import { describeUnreadable, ItemErrorsSchema } from "@infrastructor/mcp/tools/common/item-errors.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import {
  countByPriority,
  type LogLine,
  LogLineSchema,
  PriorityArg,
  renderLogLine,
  toLogLine,
} from "./log-lines.ts";
import { readServiceLogs } from "./logs-live.ts";
import { readStoredLogs } from "./logs-stored.ts";

const DEFAULT_SINCE = "24h";
const DEFAULT_TAIL = 100;
const MAX_TAIL = 5000;
/** The messages of one live answer stop here (newest kept); `truncated` says so. */
const ANSWER_MAX_CHARS = 64 * 1024;
/** The text rendering cuts each message further (structuredContent has it up to MESSAGE_MAX_CHARS). */
const TEXT_LINE_MAX_CHARS = 300;

export const getSystemLogs = defineTool({
  name: "get_system_logs",
  title: "System logs",
  description:
    "Log entries of one device, newest first. Without `service`: the warnings and errors its agent " +
    "collected (journal or syslog), from the database, filterable by `priority` and a full-text `search` " +
    '(words, "quoted phrases", -excluded), paginated. With `service` (a systemd unit such as ' +
    "nginx.service, or a syslog identifier): read live on the host now (journalctl -u, or the syslog file " +
    "where there is no journal), every severity unless `priority` is given, at most `tail` entries.",
  input: {
    device: DeviceArg,
    service: ServiceArg.optional(),
    since: SinceArg.optional().describe(
      `How far back (default ${DEFAULT_SINCE}): 30m, 6h, 2d or an ISO 8601 time.`,
    ),
    priority: PriorityArg.optional(),
    search: SearchArg.optional(),
    tail: z
      .number()
      .int()
      .min(1)
      .max(MAX_TAIL)
      .optional()
      .describe(`With service: at most this many newest entries (default ${DEFAULT_TAIL}, max ${MAX_TAIL}).`),
    ...PageArgs,
  },
  output: {
    summary: z.object({
      mode: z.enum(["stored", "live"]),
      source: z.string().describe("stored: the logs table; live: journal or syslog (with its path)"),
      since: z.string(),
      entries: z.number().describe("entries matching (stored) or read (live)"),
      by_priority: z.record(z.string(), z.number()),
      top_sources: z.array(z.object({ name: z.string(), count: z.number() })),
    }),
    provenance: ProvenanceSchema,
    entries: z.array(LogLineSchema).describe("newest first"),
    page: PageSchema.nullable().describe("stored mode only"),
    truncated: z.boolean().describe("live mode: older entries were left out by the byte cap"),
    unreadable: z
      .object({
        item_errors: ItemErrorsSchema,
        dropped: z.number().describe("more such lines, only counted"),
      })
      .describe(
        "log lines that were not valid entries: stored mode, those of the agent's last poll (a syslog line is also kept as it is); live mode, counted only",
      ),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const device = await ctx.store.device(args.device);
    const now = new Date();
    const since = sinceToDate(args.since ?? DEFAULT_SINCE, now);
    if (Number.isNaN(since.getTime())) {
      throw new AppError(ErrorCode.INVALID_ARGUMENT, `since: not a valid time: ${args.since}`);
    }
    if (args.service === undefined) {
      // Stored by nature: a live logs collection would move the agent's read position.
      const answer = await ctx.domains.read(device, "logs", "never");
      if (answer.status === "unavailable" || answer.status === "missing") requireData(answer);
      const stored = await readStoredLogs(ctx.store, {
        deviceId: device.id,
        since,
        priority: args.priority,
        search: args.search,
        limit: args.limit ?? 50,
        offset: args.offset ?? 0,
      });
      const lastRead = answer.data?.read;
      const unreadable = {
        item_errors: lastRead?.ok ? (lastRead.item_errors ?? []) : [],
        dropped: lastRead?.ok ? (lastRead.item_errors_dropped ?? 0) : 0,
      };
      const unreadableLine = describeUnreadable(
        [{ errors: unreadable.item_errors, dropped: unreadable.dropped }],
        ["log line of the last poll", "log lines of the last poll"],
      );
      const summary = {
        mode: "stored" as const,
        source: "logs table",
        since: since.toISOString(),
        entries: stored.total,
        by_priority: stored.byPriority,
        top_sources: stored.topSources,
      };
      return {
        structured: {
          summary,
          provenance: answer.provenance,
          entries: stored.lines,
          page: stored.page,
          truncated: false,
          unreadable,
        },
        text: render(
          device.hostname,
          summary,
          answer.provenance,
          stored.lines,
          [describePage(stored.page, "entries"), ...(unreadableLine === null ? [] : [unreadableLine])].join(
            "\n",
          ),
        ),
      };
    }
    if (ctx.live === null) {
      throw new AppError(
        ErrorCode.HOST_UNREACHABLE,
        `${device.hostname}: a service's logs are read live over SSH, and this server has no SSH`,
      );
    }
    const executor = ctx.live.executor(device);
    const live = await readServiceLogs(executor, agentConfigOf(device), {
      service: args.service,
      since,
      tail: args.tail ?? DEFAULT_TAIL,
      priority: args.priority,
    });
    const lines: LogLine[] = [];
    let chars = 0;
    let cut = live.truncated;
    for (const e of live.entries) {
      const line = toLogLine(e);
      chars += line.message.length + 80;
      if (chars > ANSWER_MAX_CHARS) {
        cut = true;
        break;
      }
      lines.push(line);
    }
    const provenance: Provenance = {
      device: device.hostname,
      domain: "logs",
      source: "live",
      observed_at: now.toISOString(),
      age_s: 0,
      stale: false,
      // Lines the parser could not read may have been this service's: the answer is partial.
      ...(live.unparsed > 0
        ? { partial: { failed_sources: [], skipped_items: live.unparsed, skipped: [] } }
        : {}),
    };
    const counts = new Map<string, number>();
    for (const l of lines) {
      const name = l.unit || l.identifier || "?";
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const summary = {
      mode: "live" as const,
      source: live.source === "journal" ? "journal" : `syslog ${live.path}`,
      since: since.toISOString(),
      entries: lines.length,
      by_priority: countByPriority(lines),
      top_sources: [...counts]
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 5),
    };
    const note = `${lines.length} entries of ${args.service}${cut ? " (truncated: older entries left out)" : ""}${live.unparsed > 0 ? `; ${live.unparsed} unparsable lines skipped` : ""}`;
    return {
      structured: {
        summary,
        provenance,
        entries: lines,
        page: null,
        truncated: cut,
        unreadable: { item_errors: [], dropped: live.unparsed },
      },
      text: render(device.hostname, summary, provenance, lines, note),
    };
  },
});

function render(
  name: string,
  s: { mode: string; source: string; since: string; entries: number; by_priority: Record<string, number> },
  provenance: Provenance,
  lines: LogLine[],
  page: string,
): string {
  const counts = Object.entries(s.by_priority)
    .map(([p, n]) => `${p} ${n}`)
    .join(", ");
  return [
    `${name} logs since ${s.since} (${s.mode}, ${s.source}): ${s.entries} entries${counts ? ` (${counts})` : ""}.`,
    describeProvenance(provenance),
    page,
    ...lines.map((l) => renderLogLine(l, TEXT_LINE_MAX_CHARS)),
  ].join("\n");
}
