import { SERVER_DOMAINS } from "@infrastructor/domains/server.ts";
import { toolsOf } from "@infrastructor/domains/server-domain.ts";
import { type Domain, DomainSchemas } from "@infrastructor/shared/domains.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { capJson } from "../answer/cap-json.ts";
import { formatAge } from "../answer/provenance.ts";
import { DEVICE_PATTERN } from "../args/names.ts";
import type { McpDeps } from "../server.ts";
import { deviceFindings } from "../tools/fleet/device-findings.ts";
import type { Finding } from "../tools/fleet/finding.ts";
import { type Severity, worstSeverity } from "../tools/fleet/severity.ts";
import { answering } from "./resource-error.ts";

export const DEVICE_STATUS_TEMPLATE = "infra://devices/{device}/status";
export const deviceStatusUri = (device: string): string => `infra://devices/${device}/status`;

/** Each domain's payload is cut to this many JSON characters: the whole status stays under ~60 KB. */
export const PAYLOAD_MAX_CHARS = 6_000;
const MAX_ERRORS = 5;

/**
 * The tool that reads a domain in full; the status resource and the prompts point the model at it:
 * the first tool of the domain's server half (shared/domains/server.ts). inventory has none of its
 * own: get_device_info shows it.
 */
export const DOMAIN_TOOLS = Object.fromEntries(
  Object.entries(SERVER_DOMAINS).map(([domain, server]) => [
    domain,
    toolsOf(server)[0]?.name ?? "get_device_info",
  ]),
) as Record<Domain, string>;

export interface DomainStatus {
  domain: Domain;
  status: "ok" | "failed" | "unavailable" | "missing";
  /** The worst finding of this domain's stored payload (the fleet check's rules); null: none. */
  severity: Severity | null;
  observed_at: string | null;
  age_s: number | null;
  stale: boolean;
  stale_after_s: number;
  errors: { code: string; message: string }[];
  unavailable: { code: string; reason: string } | null;
  tool: string;
  payload: unknown;
  payload_truncated: boolean;
  /** Set when the payload was cut: how many leading items each list kept, and the full size. */
  payload_note?: string;
}

export interface DeviceStatus {
  device: string;
  observed_now: string;
  /** The worst of the device's findings: critical (data at risk or the host down), warning, info; null: none. */
  severity: Severity | null;
  /** What the fleet health check's rules find in the stored payloads (and the agent's silence), worst first. */
  findings: Pick<Finding, "severity" | "impact" | "domain" | "what" | "evidence">[];
  domains: DomainStatus[];
}

/**
 * The stored latest state of every domain of one device, never live: a resource is a snapshot to
 * read, and the tools are where live fallback happens.
 */
export async function readDeviceStatus(
  deps: McpDeps,
  name: string,
  options: { payload: boolean } = { payload: true },
): Promise<DeviceStatus> {
  if (!DEVICE_PATTERN.test(name)) {
    throw new AppError(ErrorCode.INVALID_ARGUMENT, `not a valid device name: ${JSON.stringify(name)}`);
  }
  const device = await deps.store.device(name);
  const domains = Object.keys(DomainSchemas) as Domain[];
  const answers = await Promise.all(domains.map((d) => deps.domains.read(device, d, "never")));
  const now = new Date();
  const findings = deviceFindings(
    device,
    answers,
    { freshness: deps.domains.freshness, thresholds: deps.config.thresholds },
    now,
  );
  const worstOf = (domain: string): Severity | null =>
    worstSeverity(findings.filter((f) => f.domain === domain).map((f) => f.severity));
  return {
    device: device.hostname,
    observed_now: now.toISOString(),
    severity: worstSeverity(findings.map((f) => f.severity)),
    findings: findings.map(({ severity, impact, domain, what, evidence }) => ({
      severity,
      impact,
      domain,
      what,
      evidence,
    })),
    domains: answers.map((a) => {
      const domain = a.provenance.domain as Domain;
      const capped = options.payload ? capJson(a.data, PAYLOAD_MAX_CHARS) : null;
      return {
        domain,
        status: a.status,
        severity: worstOf(domain),
        observed_at: a.provenance.observed_at,
        age_s: a.provenance.age_s,
        stale: a.provenance.stale,
        stale_after_s: deps.domains.freshness.staleAfterMs(domain) / 1000,
        errors: a.errors.slice(0, MAX_ERRORS).map((e) => ({ code: e.code, message: e.message })),
        unavailable: a.unavailable,
        tool: DOMAIN_TOOLS[domain],
        payload: capped?.value ?? null,
        payload_truncated: capped?.truncated ?? false,
        ...(capped?.truncated
          ? {
              payload_note: `cut from ${capped.fullChars} JSON characters: each list keeps its first ${capped.keptItems} items; call ${DOMAIN_TOOLS[domain]} for all of it`,
            }
          : {}),
      };
    }),
  };
}

/**
 * The device's severity and findings, then one line per domain: "- docker: ok, 12 s old" /
 * "- zfs: unavailable (COMMAND_MISSING: no zpool)" / "- smart: ok, CRITICAL, 3 min old".
 */
export function describeDeviceStatus(status: DeviceStatus): string {
  const head = [
    `${status.device}: ${status.severity === null ? "no findings" : `${status.severity.toUpperCase()}, ${status.findings.length} findings`}`,
    ...status.findings.map((f) => `! [${f.severity}/${f.impact}] ${f.domain}: ${f.what} (${f.evidence})`),
  ];
  const lines = status.domains
    .map((d) => {
      const why =
        d.unavailable !== null
          ? ` (${d.unavailable.code}: ${d.unavailable.reason})`
          : d.errors.length > 0
            ? ` (${d.errors.map((e) => e.code).join(", ")})`
            : "";
      const age = d.age_s === null ? "never collected" : `${formatAge(d.age_s)} old`;
      const severity = d.severity === null ? "" : `, ${d.severity.toUpperCase()}`;
      return `- ${d.domain}: ${d.status}${why}${severity}, ${age}${d.stale ? ", STALE" : ""}; read it with ${d.tool}`;
    })
    .join("\n");
  return [...head, lines].join("\n");
}

/** infra://devices/{device}/status, listed for every device and completed from the registry. */
export function registerDeviceStatusResource(server: McpServer, deps: McpDeps): void {
  const template = new ResourceTemplate(DEVICE_STATUS_TEMPLATE, {
    list: () =>
      answering(async () => ({
        resources: (await deps.store.listDevices()).map((d) => ({
          uri: deviceStatusUri(d.hostname),
          name: `${d.hostname} status`,
          mimeType: "application/json",
        })),
      })),
    complete: { device: (value) => completeDeviceName(deps, value) },
  });
  server.registerResource(
    "device_status",
    template,
    {
      title: "Device status",
      description:
        `The latest stored state of every domain of one device (${Object.keys(SERVER_DOMAINS).join(", ")}): ` +
        "status, when observed, age, stale or not, errors, and the payload " +
        "(long lists cut; each domain names the tool that reads it in full).",
      mimeType: "application/json",
    },
    (uri, variables) =>
      answering(async () => {
        const device = [variables.device].flat()[0] ?? "";
        const status = await readDeviceStatus(deps, device);
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(status, null, 1) }],
        };
      }),
  );
}

/** Device names starting with what was typed (case-insensitive), at most 100 as the protocol allows. */
export async function completeDeviceName(deps: McpDeps, typed: string | undefined): Promise<string[]> {
  const prefix = (typed ?? "").toLowerCase();
  const devices = await deps.store.listDevices().catch(() => []);
  return devices
    .map((d) => d.hostname)
    .filter((name) => name.toLowerCase().startsWith(prefix))
    .slice(0, 100);
}
