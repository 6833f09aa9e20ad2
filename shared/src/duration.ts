import { z } from "zod";

const UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses "200ms", "30s", "2m", "7d" (or a bare number of milliseconds) into milliseconds. */
export function parseDurationMs(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return null;
  const unit = (match[2] ?? "ms") as keyof typeof UNITS_MS;
  return Math.round(Number(match[1]) * UNITS_MS[unit]);
}

/** A zod field for durations in config: accepts "30s"-style text or milliseconds, yields milliseconds. */
export const DurationMsSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === "number" ? value : parseDurationMs(value);
  if (ms === null || !Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({
      code: "custom",
      message: `not a duration: ${JSON.stringify(value)} (use e.g. 200ms, 30s, 2m, 7d)`,
    });
    return z.NEVER;
  }
  return ms;
});

const SIZE_UNITS = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;

/** Parses "64MiB", "1GiB" or a bare number of bytes. */
export function parseSizeBytes(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB)?$/.exec(text.trim());
  if (!match) return null;
  const unit = (match[2] ?? "B") as keyof typeof SIZE_UNITS;
  return Math.round(Number(match[1]) * SIZE_UNITS[unit]);
}

export const SizeBytesSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === "number" ? value : parseSizeBytes(value);
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) {
    ctx.addIssue({
      code: "custom",
      message: `not a size: ${JSON.stringify(value)} (use e.g. 512KiB, 64MiB, 1GiB)`,
    });
    return z.NEVER;
  }
  return bytes;
});

/**
 * A duration in an environment variable (always text): "500ms", "5s", "2m" or bare milliseconds. Its
 * message is the one the MCP server's variables have always given, which their tests assert.
 */
export const EnvDurationMsSchema = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: `not a duration: ${text} (use e.g. 500ms, 5s, 2m)` });
    return z.NEVER;
  }
  return ms;
});
