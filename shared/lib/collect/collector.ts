import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import type { EnvelopeError, Unavailable } from "@infrastructor/shared/envelope.ts";

/**
 * What one poll of a domain produced. `data` is null when nothing usable could be collected; then
 * `errors` says why. Partial failures (one unreadable sensor) keep `data` and add an error.
 */
export interface CollectResult<D extends Domain> {
  data: DomainData<D> | null;
  errors: EnvelopeError[];
  /**
   * Set (with data null) when the domain cannot be collected on this host at all: the tool or socket
   * is absent (COMMAND_MISSING) or not permitted. The agent sends it once per change of state.
   */
  unavailable?: Unavailable;
}

export interface Collector<D extends Domain = Domain> {
  readonly domain: D;
  /** Default poll interval; the agent's config may override it. */
  readonly defaultIntervalMs: number;
  /**
   * Takes a baseline sample so the next collect() can report rates. Optional: collectors without
   * counters skip it.
   */
  prime?(): Promise<void>;
  collect(): Promise<CollectResult<D>>;
}
