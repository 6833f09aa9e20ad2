import { z } from "zod";

/**
 * The subset of the Compose file format docker-compose.yaml uses, strictly: an unknown or misspelt key
 * (`enviroment`, `depends-on`) is an error here, where `docker compose` would warn or ignore it.
 */
const EnvironmentSchema = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string());

const ServiceSchema = z.strictObject({
  image: z.string().regex(/^[\w./-]+:[\w.-]+$/, "an image with a pinned tag"),
  command: z.array(z.string()).optional(),
  working_dir: z.string().optional(),
  environment: EnvironmentSchema.optional(),
  ports: z.array(z.string().regex(/^(\d+\.\d+\.\d+\.\d+:)?\d+:\d+$/, "[ADDRESS:]HOST:CONTAINER")).optional(),
  volumes: z.array(z.string().regex(/^[^:]+:[^:]+(:ro)?$/, "SOURCE:TARGET[:ro]")).optional(),
  healthcheck: z
    .strictObject({
      test: z.array(z.string()).min(2),
      interval: z.string(),
      timeout: z.string(),
      retries: z.number().int().positive(),
    })
    .optional(),
  depends_on: z
    .record(
      z.string(),
      z.strictObject({
        condition: z.enum(["service_started", "service_healthy", "service_completed_successfully"]),
      }),
    )
    .optional(),
  restart: z.enum(["no", "always", "on-failure", "unless-stopped"]),
});
export type ComposeService = z.infer<typeof ServiceSchema>;

export const ComposeSchema = z.strictObject({
  services: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), ServiceSchema),
  volumes: z.record(z.string(), z.null()),
});
export type Compose = z.infer<typeof ComposeSchema>;

/** `.env` syntax as Compose reads it: NAME=value lines, # comments, blank lines. */
export function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m?.[1]) throw new Error(`line ${i + 1}: not NAME=value: ${line}`);
    env[m[1]] = m[2] ?? "";
  }
  return env;
}

const REFERENCE = /\$\$|\$\{([A-Z][A-Z0-9_]*)(?:(:\?|:-)([^}]*))?\}|\$/g;

/** The variables `${NAME}`, `${NAME:?message}` and `${NAME:-default}` in a value. */
export function referencedVariables(value: string): string[] {
  return [...value.matchAll(REFERENCE)].flatMap((m) => (m[1] ? [m[1]] : []));
}

/**
 * Compose's interpolation for the forms this file may use. A bare `$NAME` or any other `$` form is an
 * error: write `${NAME}`, or `$$` for a literal dollar.
 */
export function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(REFERENCE, (whole, name?: string, op?: string, arg?: string) => {
    if (whole === "$$") return "$";
    if (!name) throw new Error(`unsupported $ form in: ${value}`);
    const set = env[name];
    if (set !== undefined && set !== "") return set;
    if (op === ":?") throw new Error(`${name}: ${arg}`);
    if (op === ":-") return arg ?? "";
    throw new Error(`${name} is not set and has no default in: ${value}`);
  });
}

export interface PortMapping {
  published: number;
  target: number;
  /** The host address it is published on; absent: every interface. */
  address?: string;
}

export function portMappings(service: ComposeService): PortMapping[] {
  return (service.ports ?? []).map((p) => {
    const parts = p.split(":");
    const [published, target] = parts.slice(-2).map(Number);
    const mapping = { published: published ?? 0, target: target ?? 0 };
    return parts.length === 3 ? { ...mapping, address: parts[0] ?? "" } : mapping;
  });
}

export interface VolumeMount {
  source: string;
  target: string;
  readOnly: boolean;
  /** A path of the repository (./...) rather than a named volume. */
  bind: boolean;
}

export function volumeMounts(service: ComposeService): VolumeMount[] {
  return (service.volumes ?? []).map((v) => {
    const [source = "", target = "", mode] = v.split(":");
    return { source, target, readOnly: mode === "ro", bind: source === "." || source.startsWith("./") };
  });
}
