import { bareAlertActions } from "@infrastructor/lib/alerts/surface-actions.ts";
import { z } from "zod";
import { ALERT_ACTION, defineTool } from "../tool.ts";
import { ActorArg, AlertKeyArg } from "./alert-args.ts";
import { requireConfirmation } from "./confirm.ts";

export const acknowledgeAlertTool = defineTool({
  name: "acknowledge_alert",
  title: "Acknowledge an alert",
  description:
    "Acknowledges a firing alert (its key from list_alerts): no repeat notifications until it changes " +
    "(severity, or it resolves and fires again); the channels that carried it are told who took it. " +
    "Asks the user to confirm first (elicitation); without that capability it refuses with CONFIRMATION_REQUIRED.",
  input: {
    key: AlertKeyArg,
    by: ActorArg.optional().describe("who takes it (shown on the channels); default mcp"),
  },
  output: { key: z.string(), acked_at: z.string(), acked_by: z.string() },
  annotations: { ...ALERT_ACTION, idempotentHint: false },
  async run(ctx, args) {
    const by = args.by ?? "mcp";
    await requireConfirmation(ctx, `Acknowledge alert ${args.key} as ${by}? No repeats until it changes.`);
    const acked = await bareAlertActions(ctx.sql).acknowledge(args.key, by);
    return {
      structured: { key: acked.key, acked_at: acked.ackedAt.toISOString(), acked_by: acked.ackedBy },
      text: `Acknowledged ${acked.key} by ${acked.ackedBy} at ${acked.ackedAt.toISOString()}.`,
    };
  },
});
