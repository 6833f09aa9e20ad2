import { parseTelemetrySubject } from "@infrastructor/shared/subjects.ts";
import type { CollectorMetrics } from "../metrics.ts";
import { cleanText } from "./clean-json.ts";
import type { RejectRecord } from "./write-batch.ts";

/**
 * Bytes of a refused message kept in ingest_rejects: enough to see what was sent (the envelope's
 * head, the start of the bad JSON), never a whole 1 MiB payload per message for 30 days.
 */
export const REJECT_PAYLOAD_PREFIX_BYTES = 4096;
/** Hosts whose reject counts are tracked at once; beyond it, hosts share one budget ("other"). */
const MAX_TRACKED_HOSTS = 10_000;
/** Distinct host labels on the per-host reject metric; beyond it, "other" (a bounded label set). */
export const MAX_HOST_LABELS = 1000;
const WINDOW_MS = 60_000;

/** The message facts a reject is built from (a JsMsg has them). */
export interface RefusedMessage {
  subject: string;
  seq: number;
  data: Uint8Array;
}

export interface RejectSamplerOptions {
  /** Rejects stored per host and minute; the rest are counted only. */
  perHostMinute: number;
  metrics: CollectorMetrics;
  /** Whether a host name may become a metric label: a device this collector stored data from. */
  isKnownHost: (host: string) => boolean;
  now?: () => number;
}

/**
 * Decides which refused messages are stored in ingest_rejects. One host (or anyone inventing host
 * names on a shared-token NATS) could otherwise fill the disk with rejects: each known host may store
 * `perHostMinute` per minute, and all hosts this collector has stored no data from share one such
 * budget; the rest are terminated and only counted, per host, in /metrics.
 */
export class RejectSampler {
  private readonly windows = new Map<string, { start: number; stored: number }>();
  private readonly labels = new Set<string>();
  /** The budget hosts share once MAX_TRACKED_HOSTS are tracked (host names invented by the thousand). */
  private overflow = { start: 0, stored: 0 };
  private readonly now: () => number;

  constructor(private readonly o: RejectSamplerOptions) {
    this.now = o.now ?? Date.now;
  }

  /** The record to store, or null when the host's budget for this minute is spent (then only counted). */
  admit(msg: RefusedMessage, reason: string, detail: string): RejectRecord | null {
    const host = parseTelemetrySubject(msg.subject)?.host ?? null;
    // Hosts this collector has stored nothing from share one budget: invented names cannot multiply it.
    const known = host !== null && this.o.isKnownHost(host);
    const window = this.windowOf(known ? host : "(unknown hosts)");
    const store = window.stored < this.o.perHostMinute;
    this.o.metrics.hostRejects.inc({
      host: this.labelOf(known ? host : null),
      outcome: store ? "stored" : "counted",
    });
    if (!store) {
      this.o.metrics.rejects.inc({ reason }); // a stored one is counted when its batch commits
      return null;
    }
    window.stored++;
    return {
      subject: cleanText(msg.subject),
      reason,
      detail: cleanText(detail.slice(0, 2000)),
      streamSeq: msg.seq,
      payloadBytes: msg.data.byteLength,
      payload: msg.data.subarray(0, REJECT_PAYLOAD_PREFIX_BYTES),
    };
  }

  private windowOf(key: string): { start: number; stored: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (window && now - window.start < WINDOW_MS) return window;
    if (!window && this.windows.size >= MAX_TRACKED_HOSTS) {
      for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
      if (this.windows.size >= MAX_TRACKED_HOSTS) {
        if (now - this.overflow.start >= WINDOW_MS) this.overflow = { start: now, stored: 0 };
        return this.overflow;
      }
    }
    window = { start: now, stored: 0 };
    this.windows.set(key, window);
    return window;
  }

  private labelOf(host: string | null): string {
    if (host === null) return "other";
    if (this.labels.has(host)) return host;
    if (this.labels.size >= MAX_HOST_LABELS) return "other";
    this.labels.add(host);
    return host;
  }
}
