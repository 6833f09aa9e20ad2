import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/** A device smartctl reads: the path and its `-d` type (megaraid disks share one path). */
export interface DeviceRef {
  device: string;
  type: string;
}

/**
 * Paths that may reach smartctl's argv: whole disks by kernel name, NVMe controllers and namespaces,
 * SCSI generic nodes, RAID buses (`/dev/bus/0` with `-d megaraid,N`) and /dev/disk/by-id links.
 * No `..`, no `/` inside a by-id name, and always under /dev/ so nothing can look like an option.
 */
const DEVICE =
  /^\/dev\/(?:sd[a-z]{1,3}|vd[a-z]{1,2}|hd[a-t]|nvme\d{1,3}(?:n\d{1,3})?|sg\d{1,4}|bus\/\d{1,3}|disk\/by-id\/[A-Za-z0-9][A-Za-z0-9._:+@-]{0,200})$/;

/** `-d` types: sat, nvme, scsi, usbjmicron, megaraid,N, sat+megaraid,N, areca,N/E, sat,12, sat,auto. */
const TYPE = /^(?:[a-z][a-z0-9]{0,15}\+)?[a-z0-9][a-z0-9]{0,15}(?:,(?:auto|\d{1,3}(?:[,/]\d{1,3}){0,2}))?$/;

export function isValidDevice(device: string): boolean {
  return DEVICE.test(device) && !device.includes("..");
}

export function isValidType(type: string): boolean {
  return TYPE.test(type);
}

/** Throws INVALID_ARGUMENT unless both may safely reach smartctl's argv. */
export function checkDeviceRef(ref: DeviceRef): DeviceRef {
  if (!isValidDevice(ref.device)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a disk device path: ${JSON.stringify(ref.device)}`);
  }
  if (!isValidType(ref.type)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a smartctl -d type: ${JSON.stringify(ref.type)}`);
  }
  return ref;
}
