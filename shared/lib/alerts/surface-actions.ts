import type { Sql } from "postgres";
import {
  type Acknowledged,
  acknowledgeAlert,
  type MuteInput,
  muteAlerts,
  unmuteAlerts,
} from "./alert-actions.ts";
import { channelsThatHeard } from "./alert-list.ts";

/** What the REST, MCP and CLI surfaces do to alerts: RunningAlerts (start-alerts.ts) has this shape too. */
export interface AlertActions {
  acknowledge(key: string, by: string): Promise<Acknowledged>;
  mute(input: Omit<MuteInput, "now">): Promise<{ id: number; muted: string[] }>;
  unmute(id: number): Promise<boolean>;
}

/**
 * The actions without the alert config (the MCP server, `infra alerts`, a collector whose engine is
 * not running here): an acknowledgement is told to the channels that carried the rule's news before.
 */
export function bareAlertActions(sql: Sql): AlertActions {
  return {
    acknowledge: async (key, by) =>
      acknowledgeAlert(sql, { key, by, now: new Date(), channelsOf: await channelsThatHeard(sql, key) }),
    mute: (input) => muteAlerts(sql, { ...input, now: new Date() }),
    unmute: (id) => unmuteAlerts(sql, id, new Date()),
  };
}
