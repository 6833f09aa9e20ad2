import type { Database } from "@infrastructor/lib/db/database.ts";
import { unknownDevice } from "@infrastructor/lib/db/unknown-device.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Kysely } from "kysely";
import type { SshTarget } from "./ssh-pool.ts";

/** A host name or address: letters, digits, dots, dashes, colons (IPv6); no spaces, no leading dash. */
const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,252}$/;
/** POSIX-ish user names (useradd's rules, plus dots). */
const USER = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

export interface TargetChange {
  host: string;
  port: number;
  user: string;
  /** null: authenticate with the ssh-agent. */
  keyPath: string | null;
}

/** The SSH target of a device from the registry; NOT_FOUND (no device) or CONFIG_INVALID (no target). */
export async function deviceTarget(db: Kysely<Database>, device: string): Promise<SshTarget> {
  const row = await db
    .selectFrom("devices")
    .select(["ssh_host", "ssh_port", "ssh_user", "ssh_key_path"])
    .where("hostname", "=", device)
    .executeTakeFirst();
  if (row === undefined) throw await notFound(db, device);
  if (row.ssh_host === null || row.ssh_user === null) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `device ${device} has no SSH target (set-target sets one)`, {
      details: { device },
    });
  }
  return {
    host: row.ssh_host,
    port: row.ssh_port ?? 22,
    user: row.ssh_user,
    keyPath: row.ssh_key_path,
    device,
  };
}

/** Sets a device's SSH target after checking every part; NOT_FOUND when the device is unknown. */
export async function setDeviceTarget(
  db: Kysely<Database>,
  device: string,
  change: TargetChange,
): Promise<void> {
  if (!HOST.test(change.host)) throw invalid(`not a host name or address: ${change.host}`);
  if (!Number.isInteger(change.port) || change.port < 1 || change.port > 65535) {
    throw invalid(`not a TCP port: ${change.port}`);
  }
  if (!USER.test(change.user)) throw invalid(`not a user name: ${change.user}`);
  if (change.keyPath !== null && (!change.keyPath.startsWith("/") || /[\0\n\r]/.test(change.keyPath))) {
    throw invalid(`the key path must be absolute: ${change.keyPath}`);
  }
  const result = await db
    .updateTable("devices")
    .set({
      ssh_host: change.host,
      ssh_port: change.port,
      ssh_user: change.user,
      ssh_key_path: change.keyPath,
    })
    .where("hostname", "=", device)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw await notFound(db, device);
}

/** NOT_FOUND with the closest device names, as every tool answers a mistyped name. */
async function notFound(db: Kysely<Database>, device: string): Promise<AppError> {
  const known = await db.selectFrom("devices").select("hostname").execute();
  return unknownDevice(
    device,
    known.map((d) => d.hostname),
  );
}

function invalid(message: string): AppError {
  return new AppError(ErrorCode.INVALID_ARGUMENT, message);
}
