import { muteAlerts } from "@infrastructor/lib/alerts/alert-actions.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { DeviceArg } from "../../args/names.ts";
import { ALERT_ACTION, defineTool } from "../tool.ts";
import { ActorArg, AlertKeyArg, ForArg, ReasonArg, RuleArg, TagArg } from "./alert-args.ts";
import { requireConfirmation } from "./confirm.ts";

export const muteAlertsTool = defineTool({
  name: "mute_alerts",
  title: "Mute alerts",
  description:
    "Mutes the alerts matching every field given (device, rule, alert key, device tag; at least one) for a " +
    "duration (`for`: 30m, 2h, 1d): they are still followed and listed, but not notified until the mute " +
    "ends. Returns the mute's id (for unmute_alerts) and the alerts muted now. Asks the user to confirm " +
    "first (elicitation); without that capability it refuses with CONFIRMATION_REQUIRED.",
  input: {
    device: DeviceArg.optional(),
    rule: RuleArg.optional(),
    key: AlertKeyArg.optional(),
    tag: TagArg.optional(),
    for: ForArg,
    reason: ReasonArg,
    by: ActorArg.optional().describe("who mutes; default mcp"),
  },
  output: { id: z.number(), until: z.string(), muted: z.array(z.string()) },
  annotations: { ...ALERT_ACTION, idempotentHint: false },
  async run(ctx, args) {
    const ms = parseDurationMs(args.for);
    if (ms === null || ms <= 0) {
      throw new AppError(
        ErrorCode.INVALID_ARGUMENT,
        `for: not a duration: ${args.for} (use e.g. 30m, 2h, 1d)`,
      );
    }
    const now = new Date();
    const until = new Date(now.getTime() + ms);
    const what = [
      args.device && `device ${args.device}`,
      args.rule && `rule ${args.rule}`,
      args.key && `alert ${args.key}`,
      args.tag && `tag ${args.tag}`,
    ].filter(Boolean);
    await requireConfirmation(
      ctx,
      `Mute ${what.join(", ") || "(nothing named)"} until ${until.toISOString()} (${args.reason})?`,
    );
    const result = await muteAlerts(ctx.sql, {
      device: args.device ?? null,
      rule: args.rule ?? null,
      key: args.key ?? null,
      tag: args.tag ?? null,
      until,
      reason: args.reason,
      by: args.by ?? "mcp",
      now,
    });
    return {
      structured: { id: result.id, until: until.toISOString(), muted: result.muted },
      text: `Mute ${result.id} until ${until.toISOString()}; muted now: ${result.muted.length === 0 ? "none" : result.muted.join(", ")}.`,
    };
  },
});
