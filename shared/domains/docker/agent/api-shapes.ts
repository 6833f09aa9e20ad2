import { z } from "zod";

/**
 * The parts of Docker Engine API responses the parsers read. Lenient on purpose: engines and versions
 * differ (podman leaves fields empty or null, test captures are trimmed), so almost every field may be
 * absent or null. Only what is read is declared; z.object drops every other key, which is how
 * `Config.Env` (secrets) never leaves the parser.
 */
const str = z.string().nullish();
const num = z.number().nullish();
const labels = z.record(z.string(), z.string()).nullish();

export const EndpointShape = z.object({
  NetworkID: str,
  IPAddress: str,
  GlobalIPv6Address: str,
  Gateway: str,
  MacAddress: str,
  Links: z.array(z.string()).nullish(),
});
const networks = z.object({ Networks: z.record(z.string(), EndpointShape.nullish()).nullish() }).nullish();

export const MountShape = z.object({
  Type: str,
  Name: str,
  Source: str,
  Destination: str,
  RW: z.boolean().nullish(),
});

export const ListedContainerShape = z.object({
  Id: z.string(),
  Names: z.array(z.string()).nullish(),
  Image: str,
  ImageID: str,
  Created: num,
  State: str,
  Status: str,
  Ports: z.array(z.object({ IP: str, PrivatePort: z.number(), PublicPort: num, Type: str })).nullish(),
  Labels: labels,
  NetworkSettings: networks,
  Mounts: z.array(MountShape).nullish(),
});
export type ListedContainer = z.infer<typeof ListedContainerShape>;

export const InspectShape = z.object({
  Id: z.string(),
  Name: str,
  Created: str,
  Image: str,
  RestartCount: num,
  State: z
    .object({
      Status: str,
      ExitCode: num,
      StartedAt: str,
      FinishedAt: str,
      Health: z.object({ Status: str }).nullish(),
    })
    .nullish(),
  Config: z.object({ Image: str, Labels: labels }).nullish(),
  HostConfig: z.object({ Links: z.array(z.string()).nullish() }).nullish(),
  NetworkSettings: networks,
  Mounts: z.array(MountShape).nullish(),
});
export type Inspect = z.infer<typeof InspectShape>;

const cpuStats = z
  .object({
    cpu_usage: z.object({ total_usage: num, percpu_usage: z.array(z.number()).nullish() }).nullish(),
    system_cpu_usage: num,
    online_cpus: num,
  })
  .nullish();
const blkioEntries = z.array(z.object({ op: str, value: num })).nullish();

export const StatsShape = z.object({
  cpu_stats: cpuStats,
  precpu_stats: cpuStats,
  memory_stats: z
    .object({ usage: num, limit: num, stats: z.record(z.string(), z.number()).nullish() })
    .nullish(),
  networks: z.record(z.string(), z.object({ rx_bytes: num, tx_bytes: num })).nullish(),
  blkio_stats: z.object({ io_service_bytes_recursive: blkioEntries }).nullish(),
  pids_stats: z.object({ current: num }).nullish(),
});
export type Stats = z.infer<typeof StatsShape>;

export const NetworkShape = z.object({
  Id: z.string(),
  Name: z.string(),
  Driver: str,
  Scope: str,
  IPAM: z.object({ Config: z.array(z.object({ Subnet: str, Gateway: str })).nullish() }).nullish(),
  Containers: z.record(z.string(), z.object({ Name: str, IPv4Address: str, IPv6Address: str })).nullish(),
});

export const ImageShape = z.object({
  Id: z.string(),
  RepoTags: z.array(z.string()).nullish(),
  RepoDigests: z.array(z.string()).nullish(),
  Created: num,
});
