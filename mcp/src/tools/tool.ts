import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { Sql } from "postgres";
import type { z } from "zod";
import type { McpConfig } from "../config.ts";
import type { DomainReader } from "../domain-reader.ts";
import type { LiveSource } from "../live/live-source.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/store.ts";

/** What a tool's handler may use. Built once per call by the server. */
export interface ToolContext {
  store: Store;
  /** postgres.js over the store's pool: the alert actions (shared/lib/alerts/alert-actions.ts) take it. */
  sql: Sql;
  domains: DomainReader;
  /** null when the server has no SSH (live-by-nature tools then answer HOST_UNREACHABLE). */
  live: LiveSource | null;
  config: McpConfig;
  log: Logger;
  /** notifications/progress, when the client asked for it (a progressToken); otherwise a no-op. */
  progress(done: number, total: number, message?: string): Promise<void>;
  /** notifications/message to the client (logging), e.g. "falling back to live SSH for nas". */
  notify(level: "info" | "warning", message: string): Promise<void>;
  signal: AbortSignal;
  /**
   * Asks the user to confirm through elicitation (a form with one boolean). "unsupported" when the
   * client declared no form elicitation: a tool that changes something then refuses.
   */
  confirm(message: string): Promise<"accepted" | "declined" | "unsupported">;
}

/** A tool's answer: the structured value (checked against `output`) and a compact text rendering. */
export interface ToolAnswer<O> {
  structured: O;
  text: string;
}

export interface ToolDefinition<
  I extends z.ZodRawShape = z.ZodRawShape,
  O extends z.ZodRawShape = z.ZodRawShape,
> {
  name: string;
  title: string;
  /** Written for an LLM: what it answers, when to use it, what the answer holds. */
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  run(ctx: ToolContext, args: z.infer<z.ZodObject<I>>): Promise<ToolAnswer<z.infer<z.ZodObject<O>>>>;
}

/** Identity, for type inference of `args` and the answer. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return tool;
}

/** Every tool but the alert actions only reads: none changes a host (verify_zfs_integrity never starts a scrub). */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, openWorldHint: true };

/** The alert actions change the alerts' state (never a host): not read-only, not destructive. */
export const ALERT_ACTION: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};
