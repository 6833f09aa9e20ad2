import { hostname } from "node:os";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { PgHostKeyStore } from "@infrastructor/lib/exec/ssh/host-key-store.ts";
import { SshExecutor } from "@infrastructor/lib/exec/ssh/ssh-executor.ts";
import { SshPool, type SshTarget } from "@infrastructor/lib/exec/ssh/ssh-pool.ts";
import type { McpConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { DeviceRow, Store } from "../store/store.ts";
import { CollectorLiveSource } from "./collector-live-source.ts";
import { isLocalDevice } from "./local-device.ts";

/**
 * Live reads over SSH (and, for this machine's own device, through the local executor: local-device.ts):
 * one pool for the whole server (connections reused across tool calls and
 * sessions), host keys pinned in the database, the agent's collectors run through SshExecutor.
 */
export function sshLiveSource(config: McpConfig, store: Store, log: Logger): CollectorLiveSource {
  const pool = new SshPool({
    hostKeys: { store: new PgHostKeyStore(store.db), knownHostsPath: config.ssh.knownHostsPath },
    connectTimeoutMs: config.ssh.connectTimeoutMs,
    idleTimeoutMs: config.ssh.idleTimeoutMs,
    agentSocket: config.ssh.agentSocket,
  });
  log.debug({ knownHosts: config.ssh.knownHostsPath, localDevice: config.localDevice }, "live source ready");
  const local = new LocalExecutor();
  const here = hostname();
  return new CollectorLiveSource(
    (device) => {
      const target = targetOf(device);
      return target === null ? null : new SshExecutor(pool, target, config.ssh.commandTimeoutMs, "reads");
    },
    () => pool.close(),
    () => pool.stats(),
    { localExecutorFor: (device) => (isLocalDevice(config.localDevice, device, here) ? local : null) },
  );
}

export function targetOf(device: DeviceRow): SshTarget | null {
  if (device.ssh_host === null || device.ssh_user === null) return null;
  return {
    host: device.ssh_host,
    port: device.ssh_port ?? 22,
    user: device.ssh_user,
    keyPath: device.ssh_key_path,
    device: device.hostname,
  };
}
