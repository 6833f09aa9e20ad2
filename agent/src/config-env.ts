import { type Domain, DomainSchemas } from "@infrastructor/shared/domains.ts";
import { optionsSpec } from "./collectors/domain-options.ts";

/** One environment variable and the config key it overrides. Env wins over the file. */
export interface EnvOverride {
  env: string;
  path: readonly string[];
  kind: "string" | "number" | "boolean";
}

const perDomain: EnvOverride[] = (Object.keys(DomainSchemas) as Domain[]).flatMap((domain) => [
  { env: `INFRA_${domain.toUpperCase()}_ENABLED`, path: ["domains", domain, "enabled"], kind: "boolean" },
  {
    env: `INFRA_${domain.toUpperCase()}_INTERVAL_S`,
    path: ["domains", domain, "interval_s"],
    kind: "number",
  },
  // a domain's own settings (shared/domains/<domain>/agent/options.ts)
  ...optionsSpec(domain).env.map((o) => ({ env: o.env, path: ["domains", domain, o.key], kind: o.kind })),
]);

export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { env: "INFRA_HOST", path: ["host"], kind: "string" },
  { env: "NATS_URL", path: ["nats", "url"], kind: "string" },
  { env: "NATS_CREDS", path: ["nats", "creds_file"], kind: "string" },
  { env: "NATS_TOKEN", path: ["nats", "token"], kind: "string" },
  { env: "NATS_CA", path: ["nats", "ca_file"], kind: "string" },
  { env: "NATS_ACK_TIMEOUT_MS", path: ["nats", "ack_timeout_ms"], kind: "number" },
  { env: "INFRA_SPOOL_DIR", path: ["spool", "dir"], kind: "string" },
  { env: "INFRA_SPOOL_MAX_BYTES", path: ["spool", "max_bytes"], kind: "number" },
  ...perDomain,
  { env: "INFRA_PROC_ROOT", path: ["roots", "proc"], kind: "string" },
  { env: "INFRA_SYS_ROOT", path: ["roots", "sys"], kind: "string" },
  { env: "INFRA_HOST_ROOT", path: ["roots", "host"], kind: "string" },
  { env: "INFRA_LOG_LEVEL", path: ["log_level"], kind: "string" },
];
