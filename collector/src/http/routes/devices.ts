import type { Database } from "@infrastructor/lib/db/database.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import { Hono } from "hono";
import type { Kysely } from "kysely";

const DEVICE_COLUMNS = [
  "id",
  "hostname",
  "tags",
  "first_seen",
  "last_seen",
  "agent_version",
  "os",
  "kernel",
  "arch",
  "cpu_model",
  "cpu_cores",
  "memory_total_bytes",
] as const;

/** The device registry and each device's latest system state. */
export function deviceRoutes(db: Kysely<Database>): Hono {
  return new Hono()
    .get("/devices", async (c) => {
      const devices = await db.selectFrom("devices").select(DEVICE_COLUMNS).orderBy("hostname").execute();
      return c.json({ devices: devices.map(withAge) });
    })
    .get("/devices/:id", async (c) => {
      const key = c.req.param("id");
      const byId = /^\d{1,9}$/.test(key);
      if (!byId && !HOST_PATTERN.test(key)) {
        throw new AppError(ErrorCode.INVALID_ARGUMENT, "device must be a numeric id or a hostname");
      }
      const device = await db
        .selectFrom("devices")
        .select(DEVICE_COLUMNS)
        .where(byId ? "id" : "hostname", "=", byId ? Number(key) : key)
        .executeTakeFirst();
      if (!device) throw new AppError(ErrorCode.NOT_FOUND, `no device ${key}`);
      const system = await db
        .selectFrom("latest_state")
        .select(["collected_at", "received_at", "payload", "errors"])
        .where("device_id", "=", device.id)
        .where("domain", "=", "system")
        .executeTakeFirst();
      return c.json({
        device: withAge(device),
        system: system
          ? {
              collected_at: system.collected_at,
              age_s: ageSeconds(system.collected_at),
              data: system.payload,
              errors: system.errors,
            }
          : null,
      });
    });
}

function withAge<T extends { last_seen: Date | null }>(device: T): T & { last_seen_age_s: number | null } {
  return { ...device, last_seen_age_s: device.last_seen ? ageSeconds(device.last_seen) : null };
}

function ageSeconds(time: Date): number {
  return Math.max(0, Math.round((Date.now() - time.getTime()) / 1000));
}
