import { containerSeverity } from "@infrastructor/domains/docker/views.ts";
import { z } from "zod";
import type { DockerContainer } from "../../../schema.ts";
import { shortId } from "./docker-data.ts";

/** One container in a list: what `docker ps` shows, plus health, restarts, the latest stats and compose. */
export const ContainerRowSchema = z.object({
  device: z.string(),
  name: z.string(),
  id: z.string().describe("short id (12 hex digits on docker)"),
  image: z.string(),
  state: z.string().describe("created, running, paused, restarting, removing, exited, dead, unknown"),
  status: z.string().describe('the engine\'s text, e.g. "Up 4 hours (healthy)"'),
  health: z.string().describe("none (no healthcheck), starting, healthy, unhealthy"),
  restart_count: z.number(),
  exit_code: z.number().nullable().describe("set for exited or dead containers"),
  cpu_pct: z.number().nullable().describe("100 = one CPU busy; null without stats"),
  mem_used_bytes: z.number().nullable(),
  mem_limit_bytes: z.number().nullable(),
  compose_project: z.string().nullable(),
  compose_service: z.string().nullable(),
});
export type ContainerRow = z.infer<typeof ContainerRowSchema>;

export function toRow(device: string, c: DockerContainer): ContainerRow {
  const stats = c.stats?.ok === true ? c.stats : null;
  return {
    device,
    name: c.name,
    id: shortId(c.id),
    image: c.image,
    state: c.state,
    status: c.status,
    health: c.health,
    restart_count: c.restart_count,
    exit_code: c.exit_code,
    cpu_pct: stats?.cpu_pct ?? null,
    mem_used_bytes: stats?.mem_used_bytes ?? null,
    mem_limit_bytes: stats?.mem_limit_bytes ?? null,
    compose_project: c.compose?.project ?? null,
    compose_service: c.compose?.service ?? null,
  };
}

/** Worst first: unhealthy, restarting or dead; then exited with a failure; the rest; running and fine last. */
export function severity(row: ContainerRow): number {
  return containerSeverity(row);
}

/** "- nas/web: running (healthy), nginx:1.27, cpu 3.2%, mem 120 MiB, 2 restarts [compose blog/web]" */
export function describeRow(row: ContainerRow): string {
  const parts = [`${row.state}${row.health === "none" ? "" : ` (${row.health})`}`, row.image];
  // Docker's own status line carries the exit code and how long ago ("Exited (137) 2 hours ago").
  if (row.status !== "") parts.push(`"${row.status}"`);
  if (row.exit_code !== null) parts.push(`exit ${row.exit_code}`);
  if (row.cpu_pct !== null) parts.push(`cpu ${row.cpu_pct.toFixed(1)}%`);
  if (row.mem_used_bytes !== null)
    parts.push(
      `mem ${formatBytes(row.mem_used_bytes)}${row.mem_limit_bytes === null ? "" : ` of ${formatBytes(row.mem_limit_bytes)}`}`,
    );
  if (row.restart_count > 0) parts.push(`${row.restart_count} restarts`);
  const compose =
    row.compose_project === null ? "" : ` [compose ${row.compose_project}/${row.compose_service}]`;
  return `- ${row.device}/${row.name}: ${parts.join(", ")}${compose}`;
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
