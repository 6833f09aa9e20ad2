/** syslog(3) priorities, most severe first: the index is the number. */
export const PRIORITY_NAMES = [
  "emerg",
  "alert",
  "crit",
  "err",
  "warning",
  "notice",
  "info",
  "debug",
] as const;
export type PriorityName = (typeof PRIORITY_NAMES)[number];

export function priorityNumber(name: PriorityName): number {
  return PRIORITY_NAMES.indexOf(name);
}

/** A message longer than the schema allows keeps its start, marked as cut. */
export function clipMessage(message: string, max: number): string {
  return message.length <= max ? message : `${message.slice(0, max - 1)}…`;
}
