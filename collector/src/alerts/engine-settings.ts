import { type AlertPolicy, DEFAULT_POLICY } from "@infrastructor/lib/alerts/alert.ts";
import type { ChannelsOf } from "@infrastructor/lib/alerts/alert-store.ts";
import type { AlertConfig } from "./alert-config.ts";
import { DEFAULT_ENGINE_OPTIONS } from "./alert-engine.ts";
import { digestMinute } from "./digest.ts";

/** What the engine takes from the alert config: each rule's policy and channels, grouping, the interval. */
export interface EngineSettings {
  policyOf: (rule: string) => AlertPolicy;
  /** A rule's channels: its own, else the defaults', else every declared channel. */
  channelsOfRule: (rule: string) => readonly string[];
  channelsOf: ChannelsOf;
  groupAtLeast: number;
  groupWaitMs: number;
  intervalMs: number;
  /** The daily digest's UTC minute of the day; null: no digest. */
  digestAtMinute: number | null;
  /** The outbox sender's send timeout and claim lease (3x it), when the config sets one. */
  sender: { sendTimeoutMs: number; leaseMs: number } | null;
}

interface Tuned {
  enabled?: boolean | undefined;
  for?: number | undefined;
  clear_for?: number | undefined;
  repeat?: number | null | undefined;
  channels?: string[] | undefined;
}

/**
 * Resolved once per config load, so an evaluation asks a map, not the config. A rule named nowhere
 * (a built-in left alone) takes the defaults; the config's `defaults` take DEFAULT_POLICY's place.
 */
export function engineSettings(config: AlertConfig): EngineSettings {
  const d = config.defaults;
  const base: AlertPolicy = {
    enabled: true,
    forMs: d.for ?? DEFAULT_POLICY.forMs,
    clearForMs: d.clear_for ?? DEFAULT_POLICY.clearForMs,
    repeatMs: d.repeat === undefined ? DEFAULT_POLICY.repeatMs : d.repeat,
    flap: d.flap === undefined ? DEFAULT_POLICY.flap : { count: d.flap.count, windowMs: d.flap.window },
  };
  const allChannels = config.channels.map((c) => c.name);
  const baseChannels = d.channels ?? allChannels;
  const tuned = new Map<string, Tuned>([
    ...Object.entries(config.builtin),
    ...config.rules.map((r): [string, Tuned] => [r.name, r]),
  ]);
  const policies = new Map<string, AlertPolicy>();
  const channels = new Map<string, readonly string[]>();
  for (const [rule, t] of tuned) {
    policies.set(rule, {
      ...base,
      enabled: t.enabled ?? true,
      forMs: t.for ?? base.forMs,
      clearForMs: t.clear_for ?? base.clearForMs,
      repeatMs: t.repeat === undefined ? base.repeatMs : t.repeat,
    });
    channels.set(rule, t.channels ?? baseChannels);
  }
  const channelsOfRule = (rule: string): readonly string[] => channels.get(rule) ?? baseChannels;
  return {
    policyOf: (rule) => policies.get(rule) ?? base,
    channelsOfRule,
    // A notification speaks for one rule (grouping never mixes rules); its keys begin with it.
    channelsOf: (n) => channelsOfRule(ruleOfKey(n.alertKeys[0] ?? "")),
    groupAtLeast: d.group_at_least ?? DEFAULT_ENGINE_OPTIONS.groupAtLeast,
    groupWaitMs: d.group_wait ?? DEFAULT_ENGINE_OPTIONS.groupWaitMs,
    intervalMs: d.evaluate_every ?? DEFAULT_ENGINE_OPTIONS.intervalMs,
    digestAtMinute: d.digest === undefined ? null : digestMinute(d.digest),
    sender:
      d.send_timeout === undefined ? null : { sendTimeoutMs: d.send_timeout, leaseMs: 3 * d.send_timeout },
  };
}

/** An alert key is `rule|device|subject` (alert.ts). */
export function ruleOfKey(key: string): string {
  return key.split("|", 1)[0] ?? "";
}
