import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import type { Sql } from "postgres";
import { z } from "zod";
import { AGENT_VERSION } from "../../agent/src/version.ts";
import type { McpConfig } from "./config.ts";
import type { DomainReader } from "./domain-reader.ts";
import type { LiveSource } from "./live/live-source.ts";
import type { Logger } from "./logger.ts";
import { registerPrompts } from "./prompts/register.ts";
import { registerResources } from "./resources/register.ts";
import type { Store } from "./store/store.ts";
import { TOOLS } from "./tools/registry.ts";
import type { ToolContext, ToolDefinition } from "./tools/tool.ts";
import { errorResult, invalidArguments, ToolErrorSchema } from "./tools/tool-result.ts";

export interface McpDeps {
  store: Store;
  /** postgres.js over the store's pool (the alert actions take it). */
  sql: Sql;
  domains: DomainReader;
  live: LiveSource | null;
  config: McpConfig;
  log: Logger;
  /** How often a session subscribed to infra://alerts looks for a change; 5 s unless given. */
  alertsPollMs?: number;
  /** Extra registrations (resources, prompts) made on the SDK server. */
  extend?: (server: McpServer) => void;
}

/**
 * One MCP server per client connection (stdio has one; the HTTP mount makes one per session). Tools are
 * served by our own tools/list and tools/call handlers rather than McpServer.registerTool: the SDK turns
 * a failed input check into plain text, and our contract puts INVALID_ARGUMENT in structuredContent.
 */
export function createMcpServer(deps: McpDeps, tools: readonly ToolDefinition[] = TOOLS): McpServer {
  const server = new McpServer(
    { name: "infrastructor", title: "Infrastructor", version: AGENT_VERSION },
    {
      capabilities: { tools: { listChanged: false }, logging: {} },
      instructions:
        "Infrastructor answers questions about a fleet of Linux hosts (containers, metrics, drives, ZFS, logs, " +
        "backups, updates, VMs, network). Start with list_devices or analyze_infrastructure_health. Every answer " +
        "says whether it is stored or live and how old it is.",
    },
  );
  const byName = new Map(tools.map((t) => [t.name, t]));
  const listing = tools.map(toListing);
  const inputs = new Map(tools.map((t) => [t.name, z.strictObject(t.input)]));
  const outputs = new Map(tools.map((t) => [t.name, z.object(t.output)]));

  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listing }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    const tool = byName.get(name);
    if (tool === undefined) {
      return errorResult(new AppError(ErrorCode.NOT_FOUND, `no tool named ${name}; see tools/list`));
    }
    const parsed = (inputs.get(name) as z.ZodObject).safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const bad = invalidArguments(name, parsed.error);
      return errorResult(new AppError(bad.code, bad.message, { details: bad.details }));
    }
    const progressToken = request.params._meta?.progressToken;
    const ctx: ToolContext = {
      store: deps.store,
      sql: deps.sql,
      domains: deps.domains,
      live: deps.live,
      config: deps.config,
      log: deps.log.child({ tool: name }),
      signal: extra.signal,
      async progress(done, total, message) {
        if (progressToken === undefined) return;
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken, progress: done, total, ...(message === undefined ? {} : { message }) },
        });
      },
      async notify(level, message) {
        await server.sendLoggingMessage({ level, logger: "infrastructor", data: message }, extra.sessionId);
      },
      confirm: (message) => confirmThroughElicitation(server, message, extra.signal),
    };
    const started = performance.now();
    try {
      const answer = await tool.run(ctx, parsed.data as never);
      const checked = (outputs.get(name) as z.ZodObject).safeParse(answer.structured);
      if (!checked.success) {
        deps.log.error(
          { tool: name, issues: checked.error.issues.slice(0, 5) },
          "answer does not fit its schema",
        );
        throw new AppError(ErrorCode.INTERNAL, `${name} built an answer that does not fit its output schema`);
      }
      return {
        content: [{ type: "text", text: answer.text }],
        structuredContent: answer.structured as Record<string, unknown>,
      };
    } catch (err) {
      const error = toAppError(err);
      if (error.code === ErrorCode.INTERNAL) deps.log.error({ tool: name, err }, "tool failed");
      return errorResult(error);
    } finally {
      const ms = performance.now() - started;
      if (ms > deps.config.slowQueryMs) {
        await ctx.notify("warning", `${name} took ${Math.round(ms)} ms`).catch(() => {});
      }
    }
  });
  registerResources(server, deps);
  registerPrompts(server, deps);
  deps.extend?.(server);
  return server;
}

/**
 * One elicitation form with a single "confirm" checkbox. Only an accepted form with confirm true is
 * consent; declining, cancelling or leaving the box unticked is not.
 */
async function confirmThroughElicitation(
  server: McpServer,
  message: string,
  signal: AbortSignal,
): Promise<"accepted" | "declined" | "unsupported"> {
  const elicitation = server.server.getClientCapabilities()?.elicitation;
  // The SDK reads a bare `elicitation: {}` (before form and url modes existed) as form support.
  if (elicitation?.form === undefined) return "unsupported";
  // A client that fails the request or never answers (the SDK's request timeout) did not confirm either.
  const result = await server.server
    .elicitInput(
      {
        mode: "form",
        message,
        requestedSchema: {
          type: "object",
          properties: {
            confirm: { type: "boolean", title: "Confirm", description: message, default: false },
          },
          required: ["confirm"],
        },
      },
      { signal },
    )
    .catch(() => ({ action: "cancel" as const, content: undefined }));
  return result.action === "accept" && result.content?.confirm === true ? "accepted" : "declined";
}

/** The tools/list entry: JSON Schemas from the zod shapes; the output admits the error shape too. */
function toListing(tool: ToolDefinition): Tool {
  const input = z.toJSONSchema(z.strictObject(tool.input), { io: "input" }) as Record<string, unknown>;
  const success = z.toJSONSchema(z.object(tool.output), { io: "output" }) as Record<string, unknown>;
  const failure = z.toJSONSchema(ToolErrorSchema, { io: "output" }) as Record<string, unknown>;
  delete input.$schema;
  delete success.$schema;
  delete failure.$schema;
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: input as Tool["inputSchema"],
    outputSchema: { type: "object", anyOf: [success, failure] } as Tool["outputSchema"],
    ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
  };
}
