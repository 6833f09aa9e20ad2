import { unmuteAlerts } from "@infrastructor/lib/alerts/alert-actions.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { ALERT_ACTION, defineTool } from "../tool.ts";

export const unmuteAlertsTool = defineTool({
  name: "unmute_alerts",
  title: "End a mute",
  description:
    "Ends a mute now (its id from mute_alerts); the muted alerts are notified again from the next evaluation. " +
    "NOT_FOUND when no such mute is in force. Ending a mute only restores notifications, so it asks no confirmation.",
  input: { id: z.number().int().positive() },
  output: { id: z.number(), ended: z.boolean() },
  annotations: { ...ALERT_ACTION, idempotentHint: true },
  async run(ctx, args) {
    const ended = await unmuteAlerts(ctx.sql, args.id, new Date());
    if (!ended) throw new AppError(ErrorCode.NOT_FOUND, `no mute ${args.id} in force`);
    return { structured: { id: args.id, ended }, text: `Mute ${args.id} ended.` };
  },
});
