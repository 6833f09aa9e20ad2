import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { runText } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { Vm } from "../schema.ts";
import { parsePctList, parsePveshResources, parseQmList } from "./parse-proxmox.ts";

export interface ProxmoxOptions {
  pvesh: string;
  qm: string;
  pct: string;
  /** The node name is the host name on Proxmox VE: /etc/hostname. */
  hostnamePath: string;
}

/**
 * pvesh first: it has cpu, memory and uptime of every guest. /cluster/resources lists the whole
 * cluster, so only this node's guests are kept (every node's agent reports its own). Without pvesh,
 * qm list and pct list give ids, names, states. Throws COMMAND_MISSING when none of them exists.
 */
export async function readProxmox(executor: Executor, options: ProxmoxOptions): Promise<ItemsParse<Vm>> {
  try {
    const text = await runText(executor, [
      options.pvesh,
      "get",
      "/cluster/resources",
      "--type",
      "vm",
      "--output-format",
      "json",
    ]);
    const guests = parsePveshResources(text);
    const node = await localNode(executor, options.hostnamePath);
    // An unreadable entry's node is unknown too: every node's agent reports it (better twice than never).
    return node === null ? guests : { ...guests, items: guests.items.filter((g) => g.node === node) };
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  const [qm, pct] = await Promise.all([
    runText(executor, [options.qm, "list"]).then(parseQmList, missingAsNull),
    runText(executor, [options.pct, "list"]).then(parsePctList, missingAsNull),
  ]);
  if (qm === null && pct === null) {
    throw new AppError(ErrorCode.COMMAND_MISSING, "none of pvesh, qm, pct is installed");
  }
  return {
    items: [...(qm?.items ?? []), ...(pct?.items ?? [])],
    errors: [...(qm?.errors ?? []), ...(pct?.errors ?? [])],
  };
}

async function localNode(executor: Executor, path: string): Promise<string | null> {
  try {
    const name = (await executor.readFile(path, { maxBytes: 4096 })).trim().split(".")[0] ?? "";
    return name === "" ? null : name;
  } catch {
    // Without a host name every guest of the cluster is reported, with its node.
    return null;
  }
}

function isMissing(err: unknown): boolean {
  return err instanceof AppError && err.code === ErrorCode.COMMAND_MISSING;
}

function missingAsNull(err: unknown): null {
  if (isMissing(err)) return null;
  throw err;
}
