import { ChannelEntrySchema } from "@infrastructor/lib/notify/channel-config.ts";
import { RULES } from "@infrastructor/mcp/tools/fleet/severity.ts";
import { parseDurationMs } from "@infrastructor/shared/duration.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { isNode, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { isMetric, METRICS, type MetricName } from "./metrics.ts";

/**
 * The alert configuration: a YAML (or JSON, which is YAML) file the operator keeps in git. Channels,
 * defaults, the built-in rules tuned or turned off by name, user rules over a metric, the dead-man's
 * switch. Every error names the file's line.
 */

const duration = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === null) {
    ctx.addIssue({ code: "custom", message: `not a duration: ${text} (use e.g. 30s, 5m, 2h, 1d)` });
    return z.NEVER;
  }
  return ms;
});
/** A repeat interval, or `never`. */
const repeat = z.union([z.literal("never").transform(() => null), duration]);
const name = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, "lower case letters, digits, _ and -, from a letter");
const severity = z.enum(["critical", "warning", "info"]);
const channelNames = z.array(name).max(16);

const OPS = [">=", "<=", "==", "!=", ">", "<"] as const;
export type Op = (typeof OPS)[number];
export interface Condition {
  metric: MetricName;
  op: Op;
  value: number;
}

/** `system.disk_used_pct > 90`: a metric of METRICS, an operator, a number. */
const condition = z.string().transform((text, ctx): Condition => {
  const m = /^\s*([a-z]+\.[a-z0-9_]+)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (m === null) {
    ctx.addIssue({
      code: "custom",
      message: `"${text}" is not METRIC OP NUMBER (e.g. system.disk_used_pct > 90)`,
    });
    return z.NEVER;
  }
  const [, metric = "", op = "", value = ""] = m;
  if (!isMetric(metric)) {
    ctx.addIssue({
      code: "custom",
      message: `unknown metric ${metric}; known: ${Object.keys(METRICS).join(", ")}`,
    });
    return z.NEVER;
  }
  return { metric, op: op as Op, value: Number(value) };
});

const Tuning = z.strictObject({
  enabled: z.boolean().optional(),
  for: duration.optional(),
  clear_for: duration.optional(),
  repeat: repeat.optional(),
  channels: channelNames.optional(),
});

const UserRule = z
  .strictObject({
    name,
    when: condition,
    /** Resolve only once this holds (hysteresis: fire over 90, clear under 85); default: `when` no longer holds. */
    clear: condition.optional(),
    scope: z
      .strictObject({
        hosts: z.array(z.string().min(1).max(255)).max(256).optional(),
        tags: z.array(z.string().min(1).max(64)).max(64).optional(),
        /** A glob over the subject (container, mount, drive, pool, UPS name): `shop-*`. */
        subjects: z.string().min(1).max(255).optional(),
      })
      .optional(),
    severity: severity.default("warning"),
    for: duration.optional(),
    clear_for: duration.optional(),
    repeat: repeat.optional(),
    channels: channelNames.optional(),
    text: z.string().max(500).optional(),
  })
  .refine((r) => r.clear === undefined || r.clear.metric === r.when.metric, {
    message: "clear must watch the same metric as when",
    path: ["clear"],
  });
export type UserRule = z.infer<typeof UserRule>;

export const AlertConfigSchema = z.strictObject({
  channels: z
    .array(ChannelEntrySchema)
    .max(32)
    .default([])
    .superRefine((channels, ctx) => {
      const seen = new Set<string>();
      channels.forEach((c, i) => {
        if (seen.has(c.name))
          ctx.addIssue({ code: "custom", path: [i, "name"], message: `channel ${c.name} is named twice` });
        seen.add(c.name);
      });
    }),
  defaults: z
    .strictObject({
      channels: channelNames.optional(),
      for: duration.optional(),
      clear_for: duration.optional(),
      repeat: repeat.optional(),
      group_at_least: z.number().int().min(2).max(1000).optional(),
      /** How long a newly firing alert waits for others of its rule, to be told together (default 30 s; 0s: never). */
      group_wait: duration.optional(),
      flap: z.strictObject({ count: z.number().int().min(2).max(100), window: duration }).optional(),
      evaluate_every: duration.optional(),
      /**
       * How long one send may take before it is aborted and retried (default 30 s). A collector that
       * dies mid-send leaves its claimed notifications to the others after three times this.
       */
      send_timeout: duration.optional(),
      /** A daily digest of the alerts still firing at this UTC time (HH:MM); absent: none. */
      digest: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a UTC time of day as HH:MM, e.g. 08:00")
        .optional(),
    })
    .default({}),
  builtin: z
    .record(
      z.string().refine((rule) => Object.hasOwn(RULES, rule), {
        error: (issue) => `no built-in rule ${String(issue.input)} (see severity.ts RULES)`,
      }),
      Tuning,
    )
    .default({}),
  rules: z
    .array(UserRule)
    .max(500)
    .default([])
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((r, i) => {
        if (seen.has(r.name) || Object.hasOwn(RULES, r.name))
          ctx.addIssue({
            code: "custom",
            path: [i, "name"],
            message: `rule name ${r.name} is already taken`,
          });
        seen.add(r.name);
      });
    }),
  dead_man: z
    .strictObject({
      url_file: z.string().min(1).optional(),
      url_env: z
        .string()
        .regex(/^[A-Z_][A-Z0-9_]*$/)
        .optional(),
      every: duration.default(5 * 60_000),
      /** An alert when no host at all has reported for this long. */
      no_reports_for: duration.default(10 * 60_000),
    })
    .refine((d) => (d.url_file === undefined) !== (d.url_env === undefined), {
      message: "give exactly one of url_file or url_env (the ping URL is a secret)",
    })
    .optional(),
});
export type AlertConfig = z.infer<typeof AlertConfigSchema>;

/** Every channel a rule or the defaults name must be declared: a typo would silence an alert. */
const CheckedConfigSchema = AlertConfigSchema.superRefine((config, ctx) => {
  const declared = new Set(config.channels.map((c) => c.name));
  const check = (names: readonly string[] | undefined, path: (string | number)[]): void => {
    names?.forEach((n, i) => {
      if (!declared.has(n))
        ctx.addIssue({
          code: "custom",
          path: [...path, i],
          message: `no channel ${n} (declared: ${[...declared].join(", ") || "none"})`,
        });
    });
  };
  check(config.defaults.channels, ["defaults", "channels"]);
  for (const [rule, tuning] of Object.entries(config.builtin))
    check(tuning.channels, ["builtin", rule, "channels"]);
  config.rules.forEach((r, i) => {
    check(r.channels, ["rules", i, "channels"]);
  });
});

/** Parses the file's text; every problem is named by `file:line: path: message`, all of them at once. */
export function parseAlertConfig(text: string, file: string): AlertConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): string =>
    offset === undefined ? "" : `:${lines.linePos(offset).line}`;
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => `${file}${at(e.pos[0])}: ${e.message.split("\n")[0]}`);
    throw new AppError(ErrorCode.CONFIG_INVALID, `invalid alert configuration:\n${problems.join("\n")}`, {
      details: { problems },
    });
  }
  const parsed = CheckedConfigSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    // An unknown key is found at its own line, not its object's.
    const keys = issue.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
    const node = lineOf(doc, [...(issue.path as (string | number)[]), ...keys]);
    // A bad record key's own message is inside the issue ("Invalid key in record" says nothing).
    const message =
      issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return `${file}${at(node)}: ${issue.path.join(".") || "(top)"}: ${message}`;
  });
  throw new AppError(ErrorCode.CONFIG_INVALID, `invalid alert configuration:\n${problems.join("\n")}`, {
    details: { problems },
  });
}

/** The offset of the deepest node of `path` the document has (the key's value, else its parent). */
function lineOf(doc: ReturnType<typeof parseDocument>, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}
