import type { Database } from "@infrastructor/lib/db/database.ts";
import { setDeviceTarget, type TargetChange } from "@infrastructor/lib/exec/ssh/device-target.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import type { Kysely } from "kysely";
import { textTable } from "../text-table.ts";

/** Registers a device (its name is the agent's host name) with its SSH target; an existing one gets the new target. */
export async function addDevice(
  db: Kysely<Database>,
  device: string,
  change: TargetChange,
  tags: string[],
): Promise<string> {
  checkName(device);
  for (const tag of tags) {
    if (!/^[A-Za-z0-9_.:=-]{1,64}$/.test(tag))
      throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a tag: ${tag}`);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("devices")
      .values({ hostname: device, tags })
      .onConflict((oc) => oc.column("hostname").doNothing())
      .execute();
    if (tags.length > 0)
      await trx.updateTable("devices").set({ tags }).where("hostname", "=", device).execute();
    await setDeviceTarget(trx, device, change); // checks host, port, user and key path
  });
  return `${device}: ${change.user}@${change.host}:${change.port} with ${change.keyPath ?? "the ssh-agent"}`;
}

export async function listDevices(db: Kysely<Database>): Promise<string> {
  const rows = await db
    .selectFrom("devices")
    .select(["hostname", "ssh_host", "ssh_port", "ssh_user", "ssh_key_path", "tags", "last_seen"])
    .orderBy("hostname")
    .execute();
  return textTable(
    ["device", "ssh", "key", "tags", "last seen"],
    rows.map((r) => [
      r.hostname,
      r.ssh_host === null ? "-" : `${r.ssh_user ?? "?"}@${r.ssh_host}:${r.ssh_port ?? 22}`,
      r.ssh_host === null ? "-" : (r.ssh_key_path ?? "ssh-agent"),
      r.tags.join(",") || "-",
      r.last_seen === null ? "never" : new Date(r.last_seen).toISOString(),
    ]),
  );
}

/** Removes a device and, through the schema's cascades, everything stored about it. */
export async function removeDevice(db: Kysely<Database>, device: string): Promise<string> {
  checkName(device);
  const r = await db.deleteFrom("devices").where("hostname", "=", device).executeTakeFirst();
  if (r.numDeletedRows === 0n) throw new AppError(ErrorCode.NOT_FOUND, `no device named ${device}`);
  return `removed ${device} and its stored data (the agent on the host, if any, keeps running: install.sh --uninstall there)`;
}

function checkName(device: string): void {
  if (!HOST_PATTERN.test(device)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `not a device name: ${JSON.stringify(device)} ([a-z0-9_-], at most 63)`,
    );
  }
}
