import { redactLabels } from "@infrastructor/lib/collect/redact-secrets.ts";

/** At most this many labels per container are sent (the schema takes 500; 128 keeps envelopes small). */
export const MAX_LABELS = 128;
/** A longer label key is left out: the schema takes keys of at most 255 characters. */
export const MAX_LABEL_KEY = 255;
/** A longer value is cut here (devcontainer metadata, OCI descriptions hold kilobytes of JSON). */
export const MAX_LABEL_VALUE = 1024;

export interface BoundedLabels {
  labels: Record<string, string>;
  /** Labels left out or cut short; absent when none was. */
  labels_truncated?: number;
}

/**
 * The labels a container's record carries: secrets redacted first (on the whole value, so a token past
 * the cut is still recognised), then bounded so one container's labels can neither break the docker
 * envelope's schema (the collector would refuse the whole host's containers) nor blow its size.
 * Compose facts are read from the raw labels before this.
 */
export function boundLabels(raw: Readonly<Record<string, string>>): BoundedLabels {
  const labels: Record<string, string> = {};
  let truncated = 0;
  let kept = 0;
  for (const [key, value] of Object.entries(redactLabels(raw))) {
    if (key.length > MAX_LABEL_KEY || kept >= MAX_LABELS) {
      truncated += 1;
      continue;
    }
    kept += 1;
    if (value.length > MAX_LABEL_VALUE) {
      labels[key] = `${value.slice(0, MAX_LABEL_VALUE - 1)}…`;
      truncated += 1;
    } else {
      labels[key] = value;
    }
  }
  return truncated > 0 ? { labels, labels_truncated: truncated } : { labels };
}
