import type { Vm } from "../schema.ts";

/** libvirt's state words (virsh list/dominfo) and Proxmox's status, onto one vocabulary. */
const STATES: Record<string, Vm["state"]> = {
  running: "running",
  idle: "running",
  blocked: "running",
  "in shutdown": "running",
  paused: "paused",
  "shut off": "stopped",
  shutoff: "stopped",
  stopped: "stopped",
  dying: "stopped",
  crashed: "crashed",
  pmsuspended: "suspended",
  suspended: "suspended",
};

export function vmState(word: string): Vm["state"] {
  return STATES[word.toLowerCase()] ?? "other";
}

/** virDomainState numbers as `virsh domstats` prints them in state.state. */
const DOMAIN_STATES = [
  "no state",
  "running",
  "blocked",
  "paused",
  "in shutdown",
  "shut off",
  "crashed",
  "pmsuspended",
];

export function domainStateWord(n: number): string {
  return DOMAIN_STATES[n] ?? `state ${n}`;
}
