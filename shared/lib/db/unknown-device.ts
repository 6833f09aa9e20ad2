import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { closestNames } from "./close-names.ts";

/** A fleet this small is listed whole when nothing is close: all of it fits in one line. */
const LIST_ALL_UP_TO = 10;

/**
 * NOT_FOUND for a device name no device has: the closest names by edit distance ("nsa" -> nas), or the
 * whole fleet when it is small and nothing is close. Never the first names in alphabetical order: on a
 * fleet of 200 those are as good as random.
 */
export function unknownDevice(name: string, known: readonly string[]): AppError {
  const close = closestNames(known, name, 3);
  let hint: string;
  if (known.length === 0) hint = "known devices: none yet";
  else if (close.length > 0)
    hint = `did you mean ${close.join(", ")}?${known.length > close.length ? ` (${known.length} devices; list_devices shows all)` : ""}`;
  else if (known.length <= LIST_ALL_UP_TO) hint = `known devices: ${known.join(", ")}`;
  else hint = `no similar name among ${known.length} devices (list_devices shows all)`;
  return new AppError(ErrorCode.NOT_FOUND, `no device named "${name}"; ${hint}`, {
    details: { device: name, closest: close, devices: known.length },
  });
}
