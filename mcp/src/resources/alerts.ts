import { alertsVersion, listAlerts } from "@infrastructor/lib/alerts/alert-list.ts";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { McpDeps } from "../server.ts";
import { answering } from "./resource-error.ts";

export const ALERTS_URI = "infra://alerts";
const DEFAULT_POLL_MS = 5_000;

/**
 * infra://alerts: the alerts the engine follows, firing first. A client that subscribes hears
 * notifications/resources/updated when they change: while subscribed, the session polls the alerts'
 * version (newest updated_at and count, one scan of a small table), so an idle session costs nothing.
 */
export function registerAlertsResource(server: McpServer, deps: McpDeps): void {
  server.registerResource(
    "alerts",
    ALERTS_URI,
    {
      title: "Alerts",
      description:
        "The alerts the collector's engine follows (firing, pending, recently resolved), firing first, with who " +
        "acknowledged them, and the alert channels that are failing. Subscribe to hear when the alerts change.",
      mimeType: "application/json",
    },
    (uri) =>
      answering(async () => {
        const { alerts, channels_failing } = await deps.store.guard("list alerts", () =>
          listAlerts(deps.sql, { historyLimit: 0 }),
        );
        const body = JSON.stringify({ alerts, channels_failing }, null, 1);
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: body }],
        };
      }),
  );
  server.server.registerCapabilities({ resources: { subscribe: true } });
  const pollMs = deps.alertsPollMs ?? DEFAULT_POLL_MS;
  let timer: ReturnType<typeof setInterval> | null = null;
  let seen: string | null = null;
  let polling = false;
  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const poll = async (): Promise<void> => {
    if (polling) return;
    polling = true;
    try {
      const version = await alertsVersion(deps.sql);
      if (seen !== null && version !== seen) await server.server.sendResourceUpdated({ uri: ALERTS_URI });
      seen = version;
    } catch (err) {
      // A database outage is the next read's error to report; the poll tries again next time.
      deps.log.debug({ err }, "infra://alerts poll failed");
    } finally {
      polling = false;
    }
  };
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    // Only infra://alerts changes on its own; the other resources are read when wanted.
    if (request.params.uri === ALERTS_URI && timer === null) {
      seen = null;
      await poll();
      timer = setInterval(() => void poll(), pollMs);
      timer.unref?.();
    }
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    if (request.params.uri === ALERTS_URI) stop();
    return {};
  });
  const previous = server.server.onclose;
  server.server.onclose = () => {
    stop();
    previous?.();
  };
}
