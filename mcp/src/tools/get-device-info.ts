import { basename } from "node:path";
import { z } from "zod";
import { describeProvenance, formatAge, ProvenanceSchema } from "../answer/provenance.ts";
import { DeviceArg } from "../args/names.ts";
import type { DeviceRow } from "../store/store.ts";
import { DeviceSummarySchema, summarizeDevice } from "./devices/device-summary.ts";
import { DomainStatusSchema, domainStatuses } from "./fleet/domain-status.ts";
import { defineTool, READ_ONLY } from "./tool.ts";

const InventorySchema = z.object({
  os: z.string().nullable().describe("os-release PRETTY_NAME, else NAME VERSION_ID"),
  os_id: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string().nullable(),
  cpu_model: z.string().nullable(),
  cpu_logical_cores: z.number().nullable(),
  cpu_physical_cores: z.number().nullable(),
  cpu_sockets: z.number().nullable(),
  memory_total_bytes: z.number().nullable(),
  virtualization: z.string().describe("none, or vm/container with its technology (kvm, lxc, docker...)"),
  boot_time: z.string().nullable(),
  uptime_s: z.number().nullable().describe("seconds since boot_time, as of uptime_as_of"),
  uptime_as_of: z.string().nullable().describe("now while the agent reports, else its last sign of life"),
  agent_version: z.string(),
});

/**
 * The SSH target without the key's directory: the file name says which key is used, the directory only
 * tells a reader the operator's home layout, and no tool takes a path, so it is not needed to act.
 */
const SshSchema = z.object({
  configured: z.boolean().describe("live reads over SSH are possible"),
  host: z.string().nullable(),
  port: z.number().nullable(),
  user: z.string().nullable(),
  auth: z.enum(["key_file", "ssh_agent"]).nullable(),
  key_file: z.string().nullable().describe("the key's file name only, never its directory"),
});

export const getDeviceInfo = defineTool({
  name: "get_device_info",
  title: "Device details",
  description:
    "Everything known about one device: registry entry (reporting or not, last seen, tags, whether an SSH " +
    "target is configured), inventory (OS, kernel, arch, CPU, memory, virtualization, boot time and uptime, " +
    "agent version) and a status row per data domain (ok, failed, unavailable, missing; observed_at, age, " +
    "stale). Use it to see what is collected on a host and what is broken or stale before digging in.",
  input: { device: DeviceArg },
  output: {
    summary: z.object({
      domains_ok: z.number(),
      domains_failed: z.array(z.string()),
      domains_unavailable: z.array(z.string()),
      domains_missing: z.array(z.string()),
      domains_stale: z.array(z.string()).describe("collected ones (ok/failed) older than their threshold"),
    }),
    device: DeviceSummarySchema,
    ssh: SshSchema,
    inventory: InventorySchema.nullable().describe("null when no inventory was ever collected"),
    domains: z.array(DomainStatusSchema),
    provenance: ProvenanceSchema.describe("of the inventory"),
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const row = await ctx.store.device(args.device);
    const [answer, latest] = await Promise.all([
      ctx.domains.read(row, "inventory"),
      ctx.store.allLatest(row.id),
    ]);
    const now = new Date();
    const device = summarizeDevice(row, ctx.domains.freshness.staleAfterMs("system"), now);
    const domains = domainStatuses(row, latest, ctx.domains.freshness, now);
    const inv = answer.data;
    const asOf = device.reporting ? now : row.last_seen === null ? null : new Date(row.last_seen);
    const inventory =
      inv === null
        ? null
        : {
            os: inv.os?.pretty_name ?? ([inv.os?.name, inv.os?.version_id].filter(Boolean).join(" ") || null),
            os_id: inv.os?.id ?? null,
            kernel: inv.kernel,
            arch: inv.arch,
            cpu_model: inv.cpu?.model ?? null,
            cpu_logical_cores: inv.cpu?.logical_cores ?? null,
            cpu_physical_cores: inv.cpu?.physical_cores ?? null,
            cpu_sockets: inv.cpu?.sockets ?? null,
            memory_total_bytes: inv.memory_total_bytes,
            virtualization:
              inv.virtualization.kind === "none"
                ? "none"
                : `${inv.virtualization.kind}${inv.virtualization.technology ? ` (${inv.virtualization.technology})` : ""}`,
            boot_time: inv.boot_time,
            uptime_s:
              inv.boot_time === null || asOf === null
                ? null
                : Math.max(0, Math.round((asOf.getTime() - Date.parse(inv.boot_time)) / 1000)),
            uptime_as_of: inv.boot_time === null || asOf === null ? null : asOf.toISOString(),
            agent_version: inv.agent_version,
          };
    const pick = (status: string): string[] =>
      domains.filter((d) => d.status === status).map((d) => d.domain);
    const summary = {
      domains_ok: pick("ok").length,
      domains_failed: pick("failed"),
      domains_unavailable: pick("unavailable"),
      domains_missing: pick("missing"),
      domains_stale: domains
        .filter((d) => d.stale && (d.status === "ok" || d.status === "failed"))
        .map((d) => d.domain),
    };
    const text = [
      `${device.name}: ${device.reporting ? "reporting" : "NOT REPORTING"}${device.last_seen_age_s === null ? ", never seen" : `, last seen ${formatAge(device.last_seen_age_s)} ago`}; SSH ${describeSsh(sshOf(row))}.`,
      `domains: ${summary.domains_ok} ok${listed("failed", summary.domains_failed)}${listed("stale", summary.domains_stale)}${listed("unavailable", summary.domains_unavailable)}${listed("missing", summary.domains_missing)}.`,
      `inventory: ${describeProvenance(answer.provenance)}`,
      inventory === null
        ? "no inventory collected yet"
        : `${inventory.os ?? "unknown OS"}, kernel ${inventory.kernel ?? "?"}, ${inventory.arch ?? "?"}; ${inventory.cpu_model ?? "CPU ?"} x${inventory.cpu_logical_cores ?? "?"}; ${gib(inventory.memory_total_bytes)} RAM; virtualization ${inventory.virtualization}; up ${inventory.uptime_s === null ? "?" : formatAge(inventory.uptime_s)}; agent ${inventory.agent_version}`,
      ...domains.map(
        (d) =>
          `- ${d.domain}: ${d.status}${d.age_s === null ? "" : `, ${formatAge(d.age_s)} old`}${d.stale && d.status !== "missing" ? ` STALE (after ${formatAge(d.stale_after_s)})` : ""}${d.problem ? ` (${d.problem.code}: ${d.problem.message})` : ""}`,
      ),
    ];
    return {
      structured: {
        summary,
        device,
        ssh: sshOf(row),
        inventory,
        domains,
        provenance: answer.provenance,
      },
      text: text.join("\n"),
    };
  },
});

function sshOf(row: DeviceRow): z.infer<typeof SshSchema> {
  if (row.ssh_host === null) {
    return { configured: false, host: null, port: null, user: null, auth: null, key_file: null };
  }
  return {
    configured: true,
    host: row.ssh_host,
    port: row.ssh_port ?? 22,
    user: row.ssh_user,
    auth: row.ssh_key_path === null ? "ssh_agent" : "key_file",
    key_file: row.ssh_key_path === null ? null : basename(row.ssh_key_path),
  };
}

/** "ops@10.0.0.5:2222 with key file id_ed25519" */
function describeSsh(ssh: z.infer<typeof SshSchema>): string {
  if (!ssh.configured) return "not configured";
  const auth = ssh.auth === "key_file" ? `key file ${ssh.key_file}` : "the ssh-agent";
  return `${ssh.user ?? "?"}@${ssh.host}:${ssh.port} with ${auth}`;
}

function listed(label: string, names: string[]): string {
  return names.length === 0 ? "" : `; ${label}: ${names.join(", ")}`;
}

function gib(bytes: number | null): string {
  return bytes === null ? "?" : `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
