import { z } from "zod";

/**
 * Every name a tool passes towards a host is checked here first, against the narrowest pattern the
 * real names fit. A name may never start with "-" (it would read as an option), contain "..", a slash
 * where none belongs, whitespace, quotes or shell metacharacters. The check is the input schema, so a
 * refused name never reaches a handler, let alone a remote command.
 */
const noDotDot = (value: string): boolean => !value.split("/").includes("..");

/** Device names: the agent's host name (one DNS label), case-insensitive. */
export const DEVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
/** Docker's container-name rule, or an id (hex). */
export const CONTAINER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** zfs(8) component names: letters, digits, `_-.:` and `/` between components; `@` for a snapshot. */
export const DATASET_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9_.:-]+)*(@[A-Za-z0-9_.:-]+)?$/;
/** systemd unit names (with template instances) and syslog identifiers. */
export const SERVICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_.@\\-]{0,254}$/;
/** A drive by name (`sda`, `/dev/nvme0n1`, `/dev/disk/by-id/...`), serial or model word. */
export const DRIVE_PATTERN = /^(\/dev\/)?[A-Za-z0-9][A-Za-z0-9_.:/-]{0,200}$/;
/** `30m`, `6h`, `2d` back from now, or an ISO 8601 timestamp. */
export const SINCE_PATTERN =
  /^(\d{1,6}(s|m|h|d)|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?)$/;

const named = (pattern: RegExp, what: string, max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(pattern, `not a valid ${what}`)
    .refine(noDotDot, `not a valid ${what} ("..")`);

export const DeviceArg = named(DEVICE_PATTERN, "device name", 63).describe(
  "Device (host) name as shown by list_devices, e.g. nas.",
);
export const ContainerArg = named(CONTAINER_PATTERN, "container name", 128).describe(
  "Container name (without leading slash) or id prefix, as shown by list_containers.",
);
export const DatasetArg = named(DATASET_PATTERN, "ZFS dataset name", 255).describe(
  "ZFS pool or dataset, e.g. tank or tank/media.",
);
export const ServiceArg = named(SERVICE_PATTERN, "service (systemd unit) name", 255).describe(
  "systemd unit or syslog identifier, e.g. nginx.service or sshd.",
);
export const DriveArg = named(DRIVE_PATTERN, "drive name", 201).describe(
  "Drive device name (sda, /dev/nvme0n1), serial number or model, as shown by get_drive_health.",
);
export const SinceArg = z
  .string()
  .max(40)
  .regex(SINCE_PATTERN, "not a valid since: use 30m, 6h, 2d or an ISO 8601 time")
  .describe("How far back: 30m, 6h, 2d, or an ISO 8601 time such as 2026-11-24T08:00:00Z.");

/**
 * Full-text search words (websearch syntax without quotes: `timeout -ssh` excludes ssh). It only ever
 * reaches PostgreSQL as a bound parameter, but it is held to the same rule as every other string:
 * no shell or path metacharacters, no leading dash, no "..".
 */
export const SEARCH_PATTERN = /^[\p{L}\p{N}_.:@/][\p{L}\p{N}_.:@/ -]{0,199}$/u;
export const SearchArg = named(SEARCH_PATTERN, "search (words, letters and digits)", 200).describe(
  "Stored entries only: full-text search in messages, e.g. `timeout -ssh` (a leading - excludes a word).",
);

/** `since` as an absolute time. */
export function sinceToDate(since: string, now: Date = new Date()): Date {
  const relative = /^(\d+)(s|m|h|d)$/.exec(since);
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as "s" | "m" | "h" | "d"];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  return new Date(since);
}
