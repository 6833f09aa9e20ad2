import { type ItemsParse, itemsResult } from "@infrastructor/lib/collect/parse-items.ts";
import { sourceError } from "@infrastructor/lib/collect/run-source.ts";
import type { Executor, RunResult } from "@infrastructor/lib/exec/executor.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { PackageManager, PendingResult, PendingUpdate, Reboot } from "../schema.ts";
import { parseApkUpgradable } from "./parse-apk.ts";
import { parseAptUpgradable } from "./parse-apt.ts";
import { parseDnfCheckUpdate } from "./parse-dnf.ts";
import { parsePacmanUpdates } from "./parse-pacman.ts";

/** In the order tried: a host has one of them (apt first: Debian-likes are the common homelab). */
export const MANAGERS: readonly PackageManager[] = ["apt", "dnf", "pacman", "apk"];

/** dnf may refresh its metadata over the network before it answers; the others read local caches. */
const LIST_TIMEOUT_MS = 180_000;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** The first package manager whose command exists (runs at all), or null. */
export async function detectManager(executor: Executor): Promise<PackageManager | null> {
  for (const manager of MANAGERS) {
    try {
      await executor.run([manager, "--version"], { timeoutMs: 15_000, maxOutputBytes: 64 * 1024 });
      return manager;
    } catch (err) {
      if (toAppError(err).code !== ErrorCode.COMMAND_MISSING) return manager;
    }
  }
  return null;
}

/**
 * Pending updates as data: a failing, timed-out or unreadable listing is `{ ok: false, error }`; lines
 * of a listing that could not be read are its `item_errors`, beside the packages that could.
 */
export async function readPending(executor: Executor, manager: PackageManager): Promise<PendingResult> {
  try {
    const listed = itemsResult(await listPending(executor, manager));
    if (!listed.ok) return listed;
    const { value, item_errors, item_errors_dropped } = listed;
    return {
      ok: true,
      packages: value,
      ...(item_errors === undefined ? {} : { item_errors }),
      ...(item_errors_dropped === undefined ? {} : { item_errors_dropped }),
    };
  } catch (err) {
    return { ok: false, error: sourceError(err) };
  }
}

const NONE: ItemsParse<PendingUpdate> = { items: [], errors: [] };

async function listPending(executor: Executor, manager: PackageManager): Promise<ItemsParse<PendingUpdate>> {
  const run = (argv: string[]): Promise<RunResult> =>
    executor.run(argv, { timeoutMs: LIST_TIMEOUT_MS, maxOutputBytes: MAX_OUTPUT_BYTES });
  switch (manager) {
    case "apt": {
      // env: apt translates its header and `[upgradable from: ...]`; over SSH the locale is the user's.
      const r = checked(await run(["env", "LC_ALL=C", "apt", "list", "--upgradable"]), [0]);
      return parseAptUpgradable(r.stdout);
    }
    case "dnf": {
      // exit 100: updates listed; 0: none; 1: an error.
      const r = checked(await run(["dnf", "check-update"]), [0, 100]);
      return r.exitCode === 0 ? NONE : parseDnfCheckUpdate(r.stdout);
    }
    case "pacman":
      return await listPacman(run);
    case "apk":
      return parseApkUpgradable(checked(await run(["apk", "list", "-u"]), [0]).stdout);
  }
}

/**
 * checkupdates (pacman-contrib) syncs a private copy of the databases, so it needs no root and sees
 * new packages; without it `pacman -Qu` answers from the last `pacman -Sy`.
 */
async function listPacman(run: (argv: string[]) => Promise<RunResult>): Promise<ItemsParse<PendingUpdate>> {
  try {
    // exit 0: updates listed; 2: none; 1: an error.
    const r = checked(await run(["checkupdates"]), [0, 2]);
    return r.exitCode === 2 ? NONE : parsePacmanUpdates(r.stdout);
  } catch (err) {
    if (toAppError(err).code !== ErrorCode.COMMAND_MISSING) throw err;
  }
  // pacman -Qu exits 1 when nothing is upgradable, and also on errors (then stderr says why).
  const r = await run(["pacman", "-Qu"]);
  if (r.exitCode === 1 && r.stdout.trim() === "" && r.stderr.trim() === "") return NONE;
  return parsePacmanUpdates(checked(r, [0]).stdout);
}

function checked(result: RunResult, okCodes: number[]): RunResult {
  if (result.truncated) {
    throw new AppError(ErrorCode.PARSE_FAILED, `output cut at ${MAX_OUTPUT_BYTES} bytes`);
  }
  if (!okCodes.includes(result.exitCode)) {
    const why = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-3).join(" ");
    throw new AppError(ErrorCode.COMMAND_FAILED, `exit ${result.exitCode}: ${why}`.slice(0, 1000), {
      details: { exit_code: result.exitCode },
    });
  }
  return result;
}

/**
 * Debian and Ubuntu write /var/run/reboot-required (and the packages that asked for it in .pkgs)
 * when an update needs a reboot. Elsewhere the marker does not exist, so its absence means nothing.
 */
export async function readReboot(
  executor: Executor,
  runDir: string,
  manager: PackageManager,
): Promise<Reboot> {
  const marker = `${runDir}/reboot-required`;
  try {
    await executor.readFile(marker, { maxBytes: 64 * 1024 });
  } catch (err) {
    if (toAppError(err).code !== ErrorCode.NOT_FOUND) throw err;
    return { required: manager === "apt" ? "no" : "unknown", packages: [] };
  }
  let packages: string[] = [];
  try {
    const text = await executor.readFile(`${marker}.pkgs`, { maxBytes: 256 * 1024 });
    packages = [...new Set(text.split("\n").map((l) => l.trim()))].filter((l) => l !== "").slice(0, 1000);
  } catch (err) {
    if (toAppError(err).code !== ErrorCode.NOT_FOUND) throw err;
  }
  return { required: "yes", packages: packages.map((p) => p.slice(0, 255)) };
}
