import { parseArgs } from "node:util";
import { failingChannelsLine, listAlerts } from "@infrastructor/lib/alerts/alert-list.ts";
import { bareAlertActions } from "@infrastructor/lib/alerts/surface-actions.ts";
import { cliFailure, UsageError } from "@infrastructor/shared/cli-errors.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { printableLine } from "@infrastructor/shared/printable.ts";
import type { Sql } from "postgres";
import { textTable } from "../text-table.ts";
import { sendTestAlert } from "./alerts-test.ts";

const STATES = ["pending", "firing", "resolved"] as const;

/** `alerts test <channel>`: needs the alert config, not the database. */
export async function alertsTest(
  args: string[],
  env: Record<string, string | undefined>,
  io: { out: (text: string) => void; err: (text: string) => void },
  usage: string,
): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  if (positionals.length !== 1 || positionals[0] === undefined)
    throw new UsageError("alerts test takes exactly one channel name");
  try {
    await sendTestAlert(positionals[0], env, io.out);
    return 0;
  } catch (e) {
    return cliFailure(e, usage, io.err, [ErrorCode.CONFIG_INVALID]);
  }
}

/**
 * `infra alerts list|ack|mute|unmute`: the database directly, through the same actions as the REST
 * API and the MCP tools (an acknowledgement goes to the channels that carried the rule's news).
 * `by` defaults to the operator's login name.
 */
export async function alertsCommand(
  sql: Sql,
  args: string[],
  env: Record<string, string | undefined>,
  out: (text: string) => void,
): Promise<void> {
  const [sub, ...rest] = args;
  const actions = bareAlertActions(sql);
  const by = (given: string | undefined): string => given ?? env.USER ?? "infra";
  if (sub === "list") {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: { state: { type: "string" }, device: { type: "string" }, since: { type: "string" } },
    });
    const state = values.state as (typeof STATES)[number] | undefined;
    if (state !== undefined && !STATES.includes(state)) {
      throw new UsageError(`--state is one of ${STATES.join(", ")}`);
    }
    out(await listText(sql, state, values.device, values.since));
    return;
  }
  if (sub === "ack") {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { by: { type: "string" } },
    });
    if (positionals.length !== 1 || positionals[0] === undefined) {
      throw new UsageError("alerts ack takes exactly one alert key (see alerts list)");
    }
    const acked = await actions.acknowledge(positionals[0], by(values.by));
    out(`acknowledged ${acked.key} by ${acked.ackedBy} at ${acked.ackedAt.toISOString()}`);
    return;
  }
  if (sub === "mute") {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      options: {
        device: { type: "string" },
        rule: { type: "string" },
        key: { type: "string" },
        tag: { type: "string" },
        for: { type: "string" },
        reason: { type: "string" },
        by: { type: "string" },
      },
    });
    const ms = values.for === undefined ? null : parseDurationMs(values.for);
    if (ms === null || ms <= 0) throw new UsageError("alerts mute needs --for DURATION (30m, 2h, 1d)");
    if (values.reason === undefined || values.reason.trim() === "") {
      throw new UsageError("alerts mute needs --reason TEXT");
    }
    const until = new Date(Date.now() + ms);
    const result = await actions.mute({
      device: values.device ?? null,
      rule: values.rule ?? null,
      key: values.key ?? null,
      tag: values.tag ?? null,
      until,
      reason: values.reason,
      by: by(values.by),
    });
    const muted = result.muted.length === 0 ? "none now" : result.muted.join(", ");
    out(
      `mute ${result.id} until ${until.toISOString()}; muted: ${muted} (end it: infra alerts unmute ${result.id})`,
    );
    return;
  }
  if (sub === "unmute") {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: {} });
    const id = positionals[0];
    if (positionals.length !== 1 || id === undefined || !/^\d{1,15}$/.test(id)) {
      throw new UsageError("alerts unmute takes exactly one mute id");
    }
    if (!(await actions.unmute(Number(id)))) {
      throw new AppError(ErrorCode.NOT_FOUND, `no mute ${id} in force`);
    }
    out(`mute ${id} ended`);
    return;
  }
  throw new UsageError(`unknown alerts command: ${sub ?? "(none)"}`);
}

async function listText(
  sql: Sql,
  state: (typeof STATES)[number] | undefined,
  device: string | undefined,
  since: string | undefined,
): Promise<string> {
  const sinceDate = since === undefined ? undefined : sinceToDate(since);
  const list = await listAlerts(sql, { state, device, since: sinceDate, historyLimit: 20 });
  const alerts = textTable(
    ["state", "severity", "device", "what", "since", "acked by", "key"],
    list.alerts.map((a) => [
      a.flapping ? `${a.state} (flapping)` : a.state,
      a.severity,
      a.device,
      a.what,
      a.firing_since ?? a.active_since,
      a.acked_by ?? "-",
      a.key,
    ]),
  );
  const history = textTable(
    ["at", "event", "key", "by"],
    list.history.map((e) => [
      e.at,
      e.suppressed ? `${e.kind} (${e.suppressed})` : e.kind,
      e.key,
      e.actor ?? "-",
    ]),
  );
  const failing = failingChannelsLine(list.channels_failing);
  const warning = failing === null ? "" : `${printableLine(failing)}\n\n`;
  return `${warning}${list.alerts.length === 0 ? "no alerts" : alerts}\n\nrecent events (newest first):\n${history}`;
}

/** `2h` back from now, or an ISO time. */
function sinceToDate(since: string): Date {
  const ms = parseDurationMs(since);
  if (ms !== null && /[smhd]$/.test(since)) return new Date(Date.now() - ms);
  const at = new Date(since);
  if (Number.isNaN(at.getTime())) throw new UsageError("--since is a duration back (2h) or an ISO time");
  return at;
}
