import type { Freshness } from "@infrastructor/lib/db/freshness.ts";
import { mapLimit } from "@infrastructor/lib/exec/map-limit.ts";
import type { Domain, DomainData } from "@infrastructor/shared/domains.ts";
import type { EnvelopeError, Unavailable } from "@infrastructor/shared/envelope.ts";
import { toAppError } from "@infrastructor/shared/errors.ts";
import type { RawBuilder } from "kysely";
import { ageSeconds, type Provenance } from "./answer/provenance.ts";
import type { LiveSource } from "./live/live-source.ts";
import type { Logger } from "./logger.ts";
import type { DeviceRow, LatestStateRow, LatestStatusRow, PayloadLoad, Store } from "./store/store.ts";

/** What is known of one domain on one device, and where it came from. */
export interface DomainAnswer<D extends Domain> {
  device: DeviceRow;
  /** null when nothing was ever collected, the domain is unavailable there, or `deferred`. */
  data: DomainData<D> | null;
  /**
   * A stored payload exists but was not loaded: read with load "status" (the tool reads the domain's
   * own tables, docker_containers, ...) or left out by a load's `when`. Never true for a live answer.
   */
  deferred: boolean;
  /** ok; failed (data is the last good one, errors say why); unavailable (the tool is absent); missing. */
  status: "ok" | "failed" | "unavailable" | "missing";
  errors: EnvelopeError[];
  unavailable: Unavailable | null;
  provenance: Provenance;
}

export type LiveMode = "auto" | "never";
/**
 * payload: stored answers carry their data; status: only status and provenance (`deferred`);
 * { only: keys }: the payload's listed top-level keys alone (the caller reads nothing else of it);
 * with `when`, only where that SQL predicate on the stored payload holds, the others `deferred`.
 */
export type LoadMode =
  | "payload"
  | "status"
  | { only: readonly string[]; when?: RawBuilder<boolean> | undefined };

export interface ReadEvents {
  /** Called after each device when live reads are involved: done of total. */
  progress?(done: number, total: number, device: string): void;
  /** Called once per live fallback, before it runs. */
  fallingBack?(device: string, domain: Domain, reason: string): void;
}

/**
 * Stored first; when the stored state is missing or stale and the device has an SSH target, the
 * agent's collector runs live and the answer says `live`. If live fails too, the stored state comes
 * back marked stale with the live error. At most `concurrency` live reads run at once.
 */
export class DomainReader {
  constructor(
    private readonly store: Store,
    private readonly live: LiveSource | null,
    readonly freshness: Freshness,
    private readonly log: Logger,
    private readonly concurrency: number,
  ) {}

  async read<D extends Domain>(
    device: DeviceRow,
    domain: D,
    mode: LiveMode = "auto",
    events: ReadEvents = {},
  ) {
    const [answer] = await this.readMany([device], domain, mode, events);
    return answer as DomainAnswer<D>;
  }

  async readMany<D extends Domain>(
    devices: readonly DeviceRow[],
    domain: D,
    mode: LiveMode = "auto",
    events: ReadEvents = {},
    load: LoadMode = "payload",
  ): Promise<DomainAnswer<D>[]> {
    const stored = await this.readStored(devices, domain, load);
    return mode === "auto" ? this.fallBack(stored, events) : stored;
  }

  /** The stored half of readMany: what latest_state says of each device, nothing read live. */
  async readStored<D extends Domain>(
    devices: readonly DeviceRow[],
    domain: D,
    load: LoadMode = "payload",
  ): Promise<DomainAnswer<D>[]> {
    const answers = await this.readStoredDomains(devices, new Map([[domain, load]]));
    return answers.get(domain) ?? [];
  }

  /** readStored of several domains in one query: each domain's answers, in the order of `devices`. */
  async readStoredDomains<D extends Domain>(
    devices: readonly DeviceRow[],
    loads: ReadonlyMap<D, LoadMode>,
  ): Promise<Map<D, DomainAnswer<D>[]>> {
    const payloads = new Map(
      [...loads].map(([domain, load]): [Domain, PayloadLoad] => [
        domain,
        load === "status"
          ? null
          : load === "payload"
            ? { only: null, when: null }
            : { only: load.only, when: load.when ?? null },
      ]),
    );
    const rows = await this.store.latest(
      devices.map((d) => d.id),
      payloads,
    );
    const byKey = new Map(rows.map((r) => [`${r.domain}|${r.device_id}`, r]));
    const now = new Date();
    return new Map(
      [...loads.keys()].map((domain) => [
        domain,
        devices.map((d) => this.fromStored(d, domain, byKey.get(`${domain}|${d.id}`), now)),
      ]),
    );
  }

  /** The live half of readMany: the stale answers of devices with an SSH target, read live. */
  async fallBack<D extends Domain>(
    stored: readonly DomainAnswer<D>[],
    events: ReadEvents = {},
  ): Promise<DomainAnswer<D>[]> {
    const needLive = stored.filter((a) => a.provenance.stale && this.live?.canReach(a.device));
    if (needLive.length === 0) return [...stored];
    let done = 0;
    const liveAnswers = await mapLimit(needLive, this.concurrency, async (answer) => {
      const reason =
        answer.status === "missing" ? "no stored data" : `stored data is ${answer.provenance.age_s} s old`;
      events.fallingBack?.(answer.device.hostname, answer.provenance.domain as D, reason);
      const result = await this.readLive(answer);
      done += 1;
      events.progress?.(done, needLive.length, answer.device.hostname);
      return result;
    });
    const replaced = new Map(liveAnswers.map((a) => [a.device.id, a]));
    return stored.map((a) => replaced.get(a.device.id) ?? a);
  }

  private fromStored<D extends Domain>(
    device: DeviceRow,
    domain: D,
    row: LatestStateRow | LatestStatusRow | undefined,
    now: Date,
  ): DomainAnswer<D> {
    if (row === undefined) {
      return {
        device,
        data: null,
        deferred: false,
        status: "missing",
        errors: [],
        unavailable: null,
        provenance: {
          device: device.hostname,
          domain,
          source: "none",
          observed_at: null,
          age_s: null,
          stale: true,
        },
      };
    }
    const errors = (row.errors ?? []) as EnvelopeError[];
    // An unavailable domain is announced once per change, not every poll: it is as fresh as the
    // agent's last sign of life.
    const observedAt =
      row.status === "unavailable" ? latest(row.status_at, device.last_seen) : new Date(row.collected_at);
    const unavailable =
      row.status === "unavailable"
        ? {
            code: errors[0]?.code ?? "COMMAND_MISSING",
            reason: errors[0]?.message ?? "unavailable on this host",
          }
        : null;
    // Stored payloads passed the collector's zod validation at ingest; re-parsing every read would
    // only cost time.
    const loaded = "payload" in row;
    const parsed =
      row.status === "unavailable" || !loaded ? null : ((row.payload ?? null) as DomainData<D> | null);
    return {
      device,
      data: parsed,
      deferred: !loaded && row.status !== "unavailable" && row.has_payload,
      status: row.status,
      errors,
      unavailable,
      provenance: {
        device: device.hostname,
        domain,
        source: "stored",
        observed_at: observedAt.toISOString(),
        age_s: ageSeconds(observedAt, now),
        stale: this.freshness.isStale(domain, observedAt, now),
      },
    };
  }

  private async readLive<D extends Domain>(stored: DomainAnswer<D>): Promise<DomainAnswer<D>> {
    const live = this.live as LiveSource;
    try {
      const result = await live.collect(stored.device, stored.provenance.domain as D);
      const status = result.unavailable ? "unavailable" : result.data === null ? "failed" : "ok";
      if (status === "failed" && (stored.data !== null || stored.deferred)) {
        const first = result.errors[0];
        return withLiveError(
          stored,
          first?.code ?? "COMMAND_FAILED",
          first?.message ?? "live read returned no data",
        );
      }
      return {
        device: stored.device,
        data: result.data,
        deferred: false,
        status,
        errors: result.errors,
        unavailable: result.unavailable ?? null,
        provenance: {
          device: stored.device.hostname,
          domain: stored.provenance.domain,
          source: "live",
          observed_at: result.observedAt.toISOString(),
          age_s: 0,
          stale: false,
          ...(result.partial === undefined ? {} : { partial: result.partial }),
        },
      };
    } catch (err) {
      const error = toAppError(err);
      this.log.warn(
        { device: stored.device.hostname, code: error.code, err: error.message },
        "live read failed",
      );
      return withLiveError(stored, error.code, error.message);
    }
  }
}

function withLiveError<D extends Domain>(
  answer: DomainAnswer<D>,
  code: string,
  message: string,
): DomainAnswer<D> {
  return { ...answer, provenance: { ...answer.provenance, stale: true, live_error: { code, message } } };
}

function latest(a: Date | string, b: Date | string | null): Date {
  const first = new Date(a);
  if (b === null) return first;
  const second = new Date(b);
  return second > first ? second : first;
}
