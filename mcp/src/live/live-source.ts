import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import type { EnvelopeError, Unavailable } from "@infrastructor/shared/envelope.ts";
import type { PartialRead } from "../answer/provenance.ts";
import type { DeviceRow } from "../store/store.ts";

export interface LiveResult<D extends Domain> {
  data: DomainData<D> | null;
  errors: EnvelopeError[];
  unavailable?: Unavailable;
  /** What a read with data left out (partial-read.ts); absent when it is complete. */
  partial?: PartialRead;
  observedAt: Date;
}

/**
 * Reads a device now, the way its agent would: the agent's own collector over an executor that
 * reaches the host (SSH). Throws AppError (HOST_UNREACHABLE, HOST_KEY_MISMATCH, COMMAND_TIMEOUT...)
 * when the host cannot be read at all.
 */
export interface LiveSource {
  /** Whether the device has a target this source can reach (an SSH host in the registry). */
  canReach(device: DeviceRow): boolean;
  collect<D extends Domain>(device: DeviceRow, domain: D): Promise<LiveResult<D>>;
  /** An executor on the device for live-by-nature reads (container logs, a service's journal). */
  executor(device: DeviceRow): Executor;
  close(): Promise<void>;
  /** Connections made so far and open now (reuse shows as connectsTotal staying put). */
  stats?(): { connectsTotal: number; open: number };
}
