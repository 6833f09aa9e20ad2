import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ToolContext } from "../tool.ts";

/**
 * An alert action runs only when the user confirmed it through elicitation. A client without
 * elicitation gets CONFIRMATION_REQUIRED (the operator can use `infra alerts` or the REST API
 * instead); a declined form gets CONFIRMATION_DECLINED. Either way nothing changed.
 */
export async function requireConfirmation(ctx: ToolContext, message: string): Promise<void> {
  const answer = await ctx.confirm(message);
  if (answer === "unsupported") {
    throw new AppError(
      ErrorCode.CONFIRMATION_REQUIRED,
      "this action needs the user's confirmation, and this client does not support elicitation; nothing was changed " +
        "(use `infra alerts` or the REST API /api/alerts instead)",
    );
  }
  if (answer === "declined") {
    throw new AppError(ErrorCode.CONFIRMATION_DECLINED, "the user did not confirm; nothing was changed");
  }
}
