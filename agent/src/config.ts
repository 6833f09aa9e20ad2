import { readFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { type Domain, DomainSchemas } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { HOST_PATTERN } from "@infrastructor/shared/subjects.ts";
import { z } from "zod";
import { type DomainOptions, optionsSpec } from "./collectors/domain-options.ts";
import { ENV_OVERRIDES, type EnvOverride } from "./config-env.ts";
import { LOG_LEVELS, type LogLevel } from "./logger.ts";

/**
 * The agent's whole configuration: a JSON file plus environment overrides, parsed once at start. This is
 * the only module that reads process.env. A bad value stops the start with the key or variable named.
 */
export const DEFAULT_CONFIG_PATH = "/etc/infrastructor/agent.json";

const path = z.string().min(1).max(4096);
const NatsUrlSchema = z
  .string()
  .min(1)
  .transform((text) => text.split(",").map((url) => url.trim()))
  .refine((urls) => urls.every((url) => /^([a-z]+:\/\/)?[^\s/]+(:\d+)?\/?$/.test(url)), {
    message: "expected nats://host:port, or several separated by commas",
  });
const DomainConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Unset: the collector's own default interval. */
  interval_s: z.number().min(0.1).max(86_400).optional(),
});

const FileSchema = z.strictObject({
  host: z.string().regex(HOST_PATTERN, "must be one lower-case DNS label ([a-z0-9_-], at most 63)"),
  nats: z
    .strictObject({
      url: NatsUrlSchema.default(["nats://127.0.0.1:4222"]),
      creds_file: path.optional(),
      token: z.string().min(1).optional(),
      /** A PEM CA file: the server's certificate must chain to it, and the link is TLS or nothing. */
      ca_file: path.optional(),
      /** Short, so a dead link spools within seconds instead of piling publishes in nats.js's buffer. */
      ack_timeout_ms: z.number().int().min(100).max(60_000).default(2_000),
    })
    .prefault({}),
  spool: z
    .strictObject({
      dir: path.default("/var/lib/infrastructor/spool"),
      max_bytes: z
        .number()
        .int()
        .min(64 * 1024)
        .default(64 * 1024 ** 2),
    })
    .prefault({}),
  domains: z
    .strictObject(
      Object.fromEntries(
        (Object.keys(DomainSchemas) as Domain[]).map((domain) => [
          domain,
          DomainConfigSchema.extend(optionsSpec(domain).schema.shape).prefault({}),
        ]),
      ) as Record<Domain, z.ZodPrefault<typeof DomainConfigSchema>>,
    )
    .prefault({}),
  roots: z
    .strictObject({ proc: path.default("/proc"), sys: path.default("/sys"), host: path.default("/") })
    .prefault({}),
  log_level: z.enum(LOG_LEVELS).default("info"),
});

export interface DomainConfig<D extends Domain = Domain> {
  enabled: boolean;
  /** null: use the collector's default. */
  intervalMs: number | null;
  /** The domain's own settings, defaults filled in (shared/domains/<domain>/agent/options.ts). */
  options: DomainOptions<D>;
}

export interface AgentConfig {
  host: string;
  nats: {
    servers: string[];
    credsFile: string | null;
    token: string | null;
    /** Set: TLS is required and the server must present a certificate this CA signed. */
    caFile: string | null;
    ackTimeoutMs: number;
  };
  spool: { dir: string; maxBytes: number };
  domains: { [D in Domain]: DomainConfig<D> };
  roots: { proc: string; sys: string; host: string };
  logLevel: LogLevel;
  /** The file read, or null when the default file does not exist. */
  configFile: string | null;
}

export interface LoadConfigOptions {
  /** From `--config`; wins over INFRA_AGENT_CONFIG. */
  configPath?: string;
  env?: Record<string, string | undefined>;
  /** This machine's name; a parameter so tests need not depend on the test machine's. */
  hostname?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): AgentConfig {
  const env = options.env ?? process.env;
  const named = options.configPath ?? nonEmpty(env.INFRA_AGENT_CONFIG);
  const file = named ?? DEFAULT_CONFIG_PATH;
  const fromFile = readConfigFile(file, named !== undefined);
  const raw: Record<string, unknown> = { host: defaultHost(options.hostname ?? osHostname()), ...fromFile };
  const envSources = new Map<string, string>();
  if (fromFile?.host === undefined) envSources.set("host", "host (from this machine's name; set INFRA_HOST)");
  for (const override of ENV_OVERRIDES) {
    const text = nonEmpty(env[override.env]);
    if (text === undefined) continue;
    setPath(raw, override.path, envValue(override, text));
    envSources.set(override.path.join("."), override.env);
  }
  const label = (key: string): string =>
    envSources.get(key) ?? (fromFile === null ? key : `${key} (in ${file})`);
  return parseConfig(raw, label, fromFile === null ? null : file);
}

/**
 * A config from agent.json's shape alone (no file, no env): the MCP server builds the collectors it runs
 * live over SSH from the device registry's copy of that host's settings.
 */
export function configFromObject(raw: Record<string, unknown>): AgentConfig {
  return parseConfig(raw, (key) => key, null);
}

function parseConfig(
  raw: Record<string, unknown>,
  label: (key: string) => string,
  configFile: string | null,
): AgentConfig {
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => `${label([...issue.path, key].join("."))}: unknown key`)
        : [`${label(issue.path.join("."))}: ${issue.message}`],
    );
    throw new AppError(ErrorCode.CONFIG_INVALID, `invalid agent configuration: ${problems.join("; ")}`, {
      details: { problems },
    });
  }
  const c = parsed.data;
  const domains = Object.fromEntries(
    Object.entries(c.domains).map(([domain, d]) => {
      const { enabled, interval_s, ...options } = d as z.infer<typeof DomainConfigSchema>;
      const intervalMs = interval_s === undefined ? null : Math.round(interval_s * 1000);
      return [domain, { enabled, intervalMs, options }];
    }),
  ) as AgentConfig["domains"];
  return {
    host: c.host,
    nats: {
      servers: c.nats.url,
      credsFile: c.nats.creds_file ?? null,
      token: c.nats.token ?? null,
      caFile: c.nats.ca_file ?? null,
      ackTimeoutMs: c.nats.ack_timeout_ms,
    },
    spool: { dir: c.spool.dir, maxBytes: c.spool.max_bytes },
    domains,
    roots: c.roots,
    logLevel: c.log_level,
    configFile,
  };
}

/** `Pi4.home.lan` -> `pi4`: subjects split on dots, so only the first label can be a subject token. */
export function defaultHost(hostname: string): string {
  return hostname.toLowerCase().split(".")[0] ?? "";
}

/** A missing default file means "defaults + env"; a file someone named must exist. */
function readConfigFile(file: string, named: boolean): Record<string, unknown> | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !named) return null;
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `cannot read config file ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `config file ${file} is not JSON: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new AppError(ErrorCode.CONFIG_INVALID, `config file ${file} must hold a JSON object`);
  }
  return json as Record<string, unknown>;
}

/** An empty variable counts as unset, as in systemd `Environment=NATS_TOKEN=` or compose files. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Converts only what is unambiguous; anything else stays text so the schema names the variable. */
function envValue(override: EnvOverride, text: string): unknown {
  if (override.kind === "number") return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text;
  if (override.kind === "boolean") {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
  }
  return text;
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1) as string] = value;
}
