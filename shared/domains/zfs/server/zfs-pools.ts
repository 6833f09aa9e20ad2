import type { ZfsData, ZfsPoolStatus } from "../schema.ts";

export interface ErrorTotals {
  read_errors: number | null;
  write_errors: number | null;
  cksum_errors: number | null;
}

/** READ/WRITE/CKSUM summed over the whole vdev tree (each vdev counts its own errors). */
export function errorTotals(status: ZfsPoolStatus | undefined): ErrorTotals {
  if (status === undefined) return { read_errors: null, write_errors: null, cksum_errors: null };
  let read = 0;
  let write = 0;
  let cksum = 0;
  for (const v of status.vdevs) {
    read += v.read_errors ?? 0;
    write += v.write_errors ?? 0;
    cksum += v.cksum_errors ?? 0;
  }
  return { read_errors: read, write_errors: write, cksum_errors: cksum };
}

export function statusByPool(data: ZfsData): Map<string, ZfsPoolStatus> {
  return new Map(data.status.ok ? data.status.value.map((s) => [s.name, s]) : []);
}
