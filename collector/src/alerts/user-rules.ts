import type { Observation } from "@infrastructor/lib/alerts/alert.ts";
import type { Domain } from "@infrastructor/shared/domains.ts";
import { printableLine } from "@infrastructor/shared/printable.ts";
import type { Condition, UserRule } from "./alert-config.ts";
import { METRICS, type MetricSpec } from "./metrics.ts";

/** One device's newest payload of one domain, as the engine reads it from latest_state. */
export interface DevicePayload {
  device: string;
  tags: readonly string[];
  domain: Domain;
  data: unknown;
}

function holds(c: Condition, value: number): boolean {
  switch (c.op) {
    case ">":
      return value > c.value;
    case ">=":
      return value >= c.value;
    case "<":
      return value < c.value;
    case "<=":
      return value <= c.value;
    case "==":
      return value === c.value;
    case "!=":
      return value !== c.value;
  }
}

/** `shop-*` or `/srv/?`: `*` any run, `?` one character; the rest literal. */
function globMatches(glob: string, text: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${pattern}$`).test(text);
}

function inScope(rule: UserRule, p: DevicePayload, subject: string): boolean {
  const s = rule.scope;
  if (s === undefined) return true;
  if (s.hosts !== undefined && !s.hosts.some((h) => globMatches(h, p.device))) return false;
  if (s.tags !== undefined && !s.tags.some((t) => p.tags.includes(t))) return false;
  if (s.subjects !== undefined && !globMatches(s.subjects, subject)) return false;
  return true;
}

/**
 * The observations of the user rules: per device and subject, `active` where `when` holds, `hold`
 * where neither `when` nor `clear` does (the hysteresis band), nothing where `clear` holds (or, without
 * a clear condition, where `when` does not).
 */
export function observeUserRules(
  rules: readonly UserRule[],
  payloads: readonly DevicePayload[],
): Observation[] {
  const out: Observation[] = [];
  for (const rule of rules) {
    const spec = METRICS[rule.when.metric] as MetricSpec;
    for (const p of payloads) {
      if (p.domain !== spec.domain || p.data === null) continue;
      for (const { subject: reported, value } of spec.read(p.data as never)) {
        if (!inScope(rule, p, reported)) continue;
        // The subject is the host's word (a mount point, a container): it becomes the key and the text.
        const subject = printableLine(reported);
        const active = holds(rule.when, value);
        const cleared = rule.clear === undefined ? !active : holds(rule.clear, value);
        if (!active && cleared) continue;
        const where = subject === "" ? "" : ` ${subject}`;
        out.push({
          key: `${rule.name}|${p.device}|${subject}`,
          rule: rule.name,
          device: p.device,
          domain: spec.domain,
          severity: rule.severity,
          what:
            rule.text === undefined
              ? `${rule.when.metric}${where} ${round(value)} (${rule.when.op} ${rule.when.value})`
              : fill(rule.text, {
                  device: p.device,
                  subject,
                  value: round(value),
                  threshold: String(rule.when.value),
                  metric: rule.when.metric,
                }),
          evidence: `${rule.when.metric}${where} = ${round(value)}; fires ${rule.when.op} ${rule.when.value}${rule.clear ? `, clears ${rule.clear.op} ${rule.clear.value}` : ""}`,
          status: active ? "active" : "hold",
        });
      }
    }
  }
  return out;
}

/**
 * A rule's text with its placeholders filled: `{device}`, `{subject}`, `{value}`, `{threshold}`,
 * `{metric}`. Anything else in braces stays as written (a typo shows, it does not vanish).
 */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(
    /\{(device|subject|value|threshold|metric)\}/g,
    (_m, name: string) => values[name] ?? "",
  );
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
