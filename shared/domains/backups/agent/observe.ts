import { SNAPSHOTS_ARGV } from "@infrastructor/domains/zfs/agent/commands.ts";
import { parseZfsSnapshots } from "@infrastructor/domains/zfs/agent/parse-zfs-list.ts";
import { runSource } from "@infrastructor/domains/zfs/agent/read.ts";
import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";
import { type ProbeConfig, ProbeConfigSchema } from "./options.ts";
import { borgArchiveInstant, parseBorgList } from "./parse-borg-list.ts";
import { parseResticSnapshots } from "./parse-restic-snapshots.ts";

/**
 * What a probe found: its newest backup (null: none at all), that backup's size, how many there are,
 * and the snapshots or archives of the listing that could not be read (not counted).
 */
export interface Observation {
  last: Date | null;
  size_bytes: number | null;
  item_count: number | null;
  item_errors: ItemError[];
}

export interface ObserveContext {
  executor: Executor;
  timeoutMs: number;
}

/** The argv each kind runs (exported for tests and the README). */
export function probeArgv(probe: ProbeConfig): string[] | null {
  switch (probe.kind) {
    case "restic":
      return [
        probe.restic_path,
        "snapshots",
        "--json",
        "--no-lock",
        "--repo",
        probe.repository,
        "--password-file",
        probe.password_file,
        ...(probe.host === undefined ? [] : ["--host", probe.host]),
      ];
    case "borg": {
      // --bypass-lock: a listing must not wait for (or block) a backup that holds the repository lock.
      const borg = [probe.borg_path, "list", "--json", "--bypass-lock", probe.repository];
      // The passphrase stays in its file: borg runs `cat FILE` itself (BORG_PASSCOMMAND, split, no shell).
      return probe.passphrase_file === undefined
        ? borg
        : ["env", `BORG_PASSCOMMAND=cat ${probe.passphrase_file}`, ...borg];
    }
    case "zfs_snapshot":
      // The zfs domain's own listing, limited to the dataset's snapshots.
      return [...SNAPSHOTS_ARGV, "-d", "1", probe.dataset];
    case "path":
      return null;
  }
}

export async function observe(probe: ProbeConfig, ctx: ObserveContext): Promise<Observation> {
  // Checked again here, not only in the config loader: collectors are also built by the MCP server's
  // live fallback, and nothing unchecked may reach a command line.
  const checked = ProbeConfigSchema.safeParse(probe);
  if (!checked.success) {
    throw new AppError(
      ErrorCode.CONFIG_INVALID,
      `probe ${probe.name}: ${checked.error.issues[0]?.message ?? "invalid"}`,
    );
  }
  const argv = probeArgv(probe);
  if (probe.kind === "path" || argv === null)
    return observePath(probe.kind === "path" ? probe.path : "", ctx);
  if (probe.kind === "restic") {
    const snapshots = await run(ctx, argv, parseResticSnapshots);
    return newest(
      snapshots.items.map((s) => ({ at: new Date(s.ended_at ?? s.started_at), size: s.total_bytes })),
      snapshots.errors,
    );
  }
  if (probe.kind === "borg") {
    const archives = await run(ctx, argv, parseBorgList);
    // borg list has no sizes (borg info would, at the cost of reading every archive's metadata).
    return newest(
      archives.items.map((a) => ({ at: borgArchiveInstant(a), size: null })),
      archives.errors,
    );
  }
  const snapshots = (await run(ctx, argv, (text) => parseZfsSnapshots(text).items)).filter((s) =>
    s.name.startsWith(`${probe.dataset}@`),
  );
  return newest(snapshots.map((s) => ({ at: new Date(s.created_s * 1000), size: s.refer_bytes })));
}

async function run<T>(ctx: ObserveContext, argv: string[], parse: (text: string) => T): Promise<T> {
  const result = await runSource(ctx.executor, argv, parse, { timeoutMs: ctx.timeoutMs });
  if (result.ok) return result.value;
  // `env PROGRAM` exits 127 when PROGRAM is not installed (the borg passphrase wrapper).
  const code =
    argv[0] === "env" && / exited 127: /.test(result.error.message)
      ? ErrorCode.COMMAND_MISSING
      : result.error.code;
  throw new AppError(code as ErrorCode, result.error.message);
}

async function observePath(path: string, ctx: ObserveContext): Promise<Observation> {
  if (ctx.executor.stat === undefined) {
    throw new AppError(ErrorCode.INTERNAL, `this executor (${ctx.executor.kind}) cannot stat ${path}`);
  }
  const s = await ctx.executor.stat(path);
  return {
    last: new Date(s.mtime_ms),
    size_bytes: s.type === "file" ? s.size_bytes : null,
    item_count: null,
    item_errors: [],
  };
}

function newest(items: { at: Date; size: number | null }[], errors: ItemError[] = []): Observation {
  let best: { at: Date; size: number | null } | null = null;
  for (const item of items) {
    if (Number.isNaN(item.at.getTime())) continue;
    if (best === null || item.at > best.at) best = item;
  }
  return {
    last: best?.at ?? null,
    size_bytes: best?.size ?? null,
    item_count: items.length,
    item_errors: errors,
  };
}
