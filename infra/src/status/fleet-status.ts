import type { Database } from "@infrastructor/lib/db/database.ts";
import type { Freshness } from "@infrastructor/lib/db/freshness.ts";
import { type Domain, isKnownDomain } from "@infrastructor/shared/domains.ts";
import type { Kysely } from "kysely";
import { textTable } from "../text-table.ts";

export interface DeviceStatus {
  device: string;
  lastSeen: Date | null;
  agentVersion: string | null;
  fresh: Domain[];
  /** Older than the MCP server's threshold for the domain (MCP_STALE_FACTOR x interval, MCP_STALE_AFTER). */
  stale: Domain[];
}

/** Every device, reporting or not, with each stored domain judged by the MCP server's freshness rules. */
export async function fleetStatus(
  db: Kysely<Database>,
  freshness: Freshness,
  now: Date,
): Promise<DeviceStatus[]> {
  const devices = await db
    .selectFrom("devices")
    .select(["id", "hostname", "last_seen", "agent_version"])
    .orderBy("hostname")
    .execute();
  const states = await db
    .selectFrom("latest_state")
    .select(["device_id", "domain", "collected_at"])
    .execute();
  return devices.map((d) => {
    const judged = states
      .filter((s) => s.device_id === d.id)
      .flatMap((s) =>
        isKnownDomain(s.domain)
          ? [{ domain: s.domain, stale: freshness.isStale(s.domain, new Date(s.collected_at), now) }]
          : [],
      )
      .sort((a, b) => a.domain.localeCompare(b.domain));
    return {
      device: d.hostname,
      lastSeen: d.last_seen === null ? null : new Date(d.last_seen),
      agentVersion: d.agent_version,
      fresh: judged.filter((j) => !j.stale).map((j) => j.domain),
      stale: judged.filter((j) => j.stale).map((j) => j.domain),
    };
  });
}

/** Pure: the status table, ages in whole seconds, minutes, hours or days. */
export function statusTable(rows: readonly DeviceStatus[], now: Date): string {
  return textTable(
    ["device", "last seen", "agent", "fresh", "stale"],
    rows.map((r) => [
      r.device,
      r.lastSeen === null ? "never" : `${age(now.getTime() - r.lastSeen.getTime())} ago`,
      r.agentVersion ?? "-",
      r.fresh.join(",") || "-",
      r.stale.join(",") || "-",
    ]),
  );
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
