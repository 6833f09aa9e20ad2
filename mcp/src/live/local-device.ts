import type { DeviceRow } from "../store/store.ts";

/**
 * Which stored device is the machine the MCP server runs on (MCP_LOCAL_DEVICE): "auto" (default) the
 * device whose name is this machine's hostname, as its agent names itself by default; a device name; or
 * "none". Its live-by-nature reads (container logs, a service's journal) then run here through the local
 * executor, with no SSH target: a one-machine stack works as set up. A device with an SSH target is read
 * over SSH even when it is this machine: an explicit target wins.
 */
export type LocalDeviceSetting = { kind: "auto" } | { kind: "none" } | { kind: "named"; name: string };

export function parseLocalDevice(text: string | undefined): LocalDeviceSetting {
  if (text === undefined || text === "" || text === "auto") return { kind: "auto" };
  if (text === "none") return { kind: "none" };
  return { kind: "named", name: text };
}

export function isLocalDevice(setting: LocalDeviceSetting, device: DeviceRow, hostname: string): boolean {
  if (device.ssh_host !== null) return false;
  if (setting.kind === "none") return false;
  if (setting.kind === "named") return device.hostname === setting.name;
  // Hostnames are case-insensitive; an agent may report the short name of an FQDN machine or the reverse.
  const name = device.hostname.toLowerCase();
  const here = hostname.toLowerCase();
  return name === here || name === here.split(".")[0] || name.split(".")[0] === here;
}
