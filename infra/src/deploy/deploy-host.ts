import type { Database } from "@infrastructor/lib/db/database.ts";
import { deviceTarget } from "@infrastructor/lib/exec/ssh/device-target.ts";
import { SshExecutor } from "@infrastructor/lib/exec/ssh/ssh-executor.ts";
import type { SshPool, SshTarget } from "@infrastructor/lib/exec/ssh/ssh-pool.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import type { Kysely } from "kysely";
import type { SFTPWrapper } from "ssh2";
import type { CollectorClient } from "../collector-client.ts";
import type { AgentBinaries } from "./agent-binaries.ts";
import { type DeployResult, versionLabel } from "./deploy-result.ts";
import { knownBootIds, waitForFirstMessage } from "./first-message.ts";
import { parseOsRelease, parseUnameMachine } from "./host-facts.ts";
import type { DeployPhase } from "./progress-display.ts";

/** Where deploy/install.sh puts things on the host (its BIN and CONFIG). */
const BIN = "/usr/local/bin/infrastructor-agent";
const CONFIG = "/etc/infrastructor/agent.json";
/** mktemp's answer, checked before it goes anywhere else. */
const TEMP_DIR = /^\/tmp\/infra-deploy\.[A-Za-z0-9]{8}$/;

export interface DeployContext {
  db: Kysely<Database>;
  pool: SshPool;
  binaries: AgentBinaries;
  collector: CollectorClient;
  /** The collector URL the host reaches (install.sh --collector). */
  collectorUrlForHosts: string;
  /** deploy/install.sh as the collector serves it (service files spliced in): its text. */
  installScript: string;
  /** How long the new agent has to get its first message into the database. */
  reportTimeoutMs: number;
  /** Bound on one install.sh run. */
  installTimeoutMs: number;
  /**
   * A device enrolled afresh whose host name still has live credentials on the collector (a
   * reinstalled machine): "refuse" (install.sh fails with ENROLL_HOST_EXISTS) or "replace"
   * (install.sh --replace: the earlier key is revoked). `infra deploy --replace`.
   */
  existingHost: "refuse" | "replace";
}

type Progress = (phase: DeployPhase, detail?: string) => void;

/**
 * Deploys the agent to one device over SSH: detect, upload, install.sh as root, wait for the first
 * message; an upgrade whose agent stays silent is rolled back (install.sh --rollback) and must report
 * again. Never throws: every failure is the result's reason (`CODE: message`).
 */
export async function deployHost(
  ctx: DeployContext,
  device: string,
  progress: Progress,
): Promise<DeployResult> {
  const started = performance.now();
  const result: DeployResult = {
    host: device,
    arch: null,
    before: null,
    after: null,
    outcome: "failed",
    reason: "",
    seconds: 0,
  };
  let cleanup: (() => Promise<void>) | null = null;
  try {
    progress("connecting");
    const target = await deviceTarget(ctx.db, device);
    const ssh = new SshExecutor(ctx.pool, target, 30_000);
    const uid = (await must(ssh, ["id", "-u"])).trim();
    // Not root: sudo without a password prompt (-n), or a clear failure instead of a hang.
    const asRoot = uid === "0" ? [] : ["sudo", "-n"];

    progress("detecting");
    const arch = parseUnameMachine(await must(ssh, ["uname", "-m"]));
    const os = parseOsRelease(await must(ssh, ["cat", "/etc/os-release"]));
    result.arch = `linux-${arch}`;
    const beforeSha = await remoteSha256(ssh, BIN);
    const beforeVersion = beforeSha === null ? null : await remoteVersion(ssh);
    result.before = versionLabel(beforeVersion, beforeSha);
    const enrolled = (await ssh.run(["test", "-f", CONFIG])).exitCode === 0;

    progress("preparing agent", `linux-${arch}, ${os.prettyName ?? os.id}`);
    const binary = await ctx.binaries.get(arch);

    progress("uploading", `linux-${arch}`);
    const dir = (await must(ssh, ["mktemp", "-d", "/tmp/infra-deploy.XXXXXXXX"])).trim();
    if (!TEMP_DIR.test(dir)) throw new AppError(ErrorCode.PARSE_FAILED, `unexpected mktemp answer: ${dir}`);
    cleanup = async () => {
      await ssh.run([...asRoot, "rm", "-rf", "--", dir]).catch(() => undefined);
    };
    await upload(ctx.pool, target, [
      { local: binary.path, remote: `${dir}/infrastructor-agent`, mode: 0o700 },
      { text: ctx.installScript, remote: `${dir}/install.sh`, mode: 0o600 },
    ]);

    progress("installing", enrolled ? "upgrade" : "enroll");
    const known = await knownBootIds(ctx.db, device);
    // The token travels as a 0600 file in the private temp directory, never in argv (every local user
    // of the host can read each process's command line); it is removed as soon as install.sh is done.
    const tokenFile = `${dir}/enroll-token`;
    if (!enrolled) {
      const token = await ctx.collector.mintEnrollToken(device, "15m");
      await upload(ctx.pool, target, [{ text: `${token}\n`, remote: tokenFile, mode: 0o600 }]);
    }
    const enroll = enrolled
      ? []
      : ["--token-file", tokenFile, ...(ctx.existingHost === "replace" ? ["--replace"] : [])];
    const install = [...asRoot, "sh", `${dir}/install.sh`];
    try {
      await mustInstall(
        ssh,
        [
          ...install,
          ...enroll,
          "--collector",
          ctx.collectorUrlForHosts,
          "--binary",
          `${dir}/infrastructor-agent`,
          "--sha256",
          binary.sha256,
          "--hostname",
          device,
        ],
        ctx.installTimeoutMs,
      );
    } finally {
      if (!enrolled) await ssh.run(["rm", "-f", "--", tokenFile]).catch(() => undefined);
    }

    progress("waiting for first message");
    const first = await waitForFirstMessage(ctx.db, device, known, ctx.reportTimeoutMs);
    const silent = `no message from the new agent within ${(ctx.reportTimeoutMs / 1000).toFixed(0)} s`;
    if (first !== null) {
      result.after = versionLabel(first.agentVersion, binary.sha256);
      result.outcome =
        beforeSha === null ? "installed" : beforeSha === binary.sha256 ? "unchanged" : "upgraded";
      return result;
    }
    if (beforeSha === null || beforeSha === binary.sha256) {
      throw new AppError(ErrorCode.AGENT_NOT_REPORTING, silent);
    }

    progress("rolling back", silent);
    const tried = await knownBootIds(ctx.db, device);
    await mustInstall(ssh, [...install, "--rollback"], ctx.installTimeoutMs);
    const back = await waitForFirstMessage(
      ctx.db,
      device,
      new Set([...known, ...tried]),
      ctx.reportTimeoutMs,
    );
    if (back === null) {
      throw new AppError(
        ErrorCode.AGENT_NOT_REPORTING,
        `${silent}; rolled back, and the previous agent is silent too`,
      );
    }
    result.after = versionLabel(back.agentVersion, await remoteSha256(ssh, BIN));
    result.outcome = "rolled back";
    result.reason = `${ErrorCode.AGENT_NOT_REPORTING}: ${silent}`;
    return result;
  } catch (err) {
    const app = toAppError(err);
    result.outcome = "failed";
    result.reason = `${app.code}: ${app.message}`;
    return result;
  } finally {
    await cleanup?.();
    result.seconds = (performance.now() - started) / 1000;
  }
}

async function must(ssh: SshExecutor, argv: string[]): Promise<string> {
  const r = await ssh.run(argv);
  if (r.exitCode !== 0) {
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `${argv.join(" ")} exited ${r.exitCode}: ${r.stderr.trim()}`,
    );
  }
  return r.stdout;
}

/** install.sh's own words on failure (its last lines), which say what to do. */
async function mustInstall(ssh: SshExecutor, argv: string[], timeoutMs: number): Promise<void> {
  const r = await ssh.run(argv, { timeoutMs });
  if (r.exitCode === 0) return;
  const said = `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-3).join(" | ");
  const sudo = argv[0] === "sudo" && /password is required|a terminal is required/.test(r.stderr);
  throw new AppError(
    ErrorCode.COMMAND_FAILED,
    sudo
      ? "the SSH user is not root and sudo asks for a password: allow it NOPASSWD, or log in as root"
      : `install.sh exited ${r.exitCode}: ${said}`,
  );
}

async function remoteSha256(ssh: SshExecutor, path: string): Promise<string | null> {
  const r = await ssh.run(["sha256sum", path]);
  const sha = /^([0-9a-f]{64})\s/.exec(r.stdout)?.[1];
  return r.exitCode === 0 && sha !== undefined ? sha : null;
}

async function remoteVersion(ssh: SshExecutor): Promise<string | null> {
  const r = await ssh.run([BIN, "--version"]).catch(() => null);
  const version = r?.stdout.trim() ?? "";
  return r?.exitCode === 0 && /^[0-9A-Za-z.+-]{1,40}$/.test(version) ? version : null;
}

type UploadFile = ({ local: string } | { text: string }) & { remote: string; mode: number };

/** Uploads over one SFTP session of the pooled connection; each file gets its mode before it is used. */
async function upload(pool: SshPool, target: SshTarget, files: UploadFile[]): Promise<void> {
  const sftp = await pool.sftp(target);
  try {
    for (const f of files) {
      await new Promise<void>((resolve, reject) => {
        const done = (err: Error | null | undefined): void => (err ? reject(err) : resolve());
        if ("local" in f) sftp.fastPut(f.local, f.remote, { mode: f.mode }, done);
        else sftp.writeFile(f.remote, f.text, { mode: f.mode }, done);
      }).catch((err: Error) => {
        throw new AppError(
          ErrorCode.COMMAND_FAILED,
          `sftp upload to ${target.host}:${f.remote}: ${err.message}`,
          {
            cause: err,
          },
        );
      });
    }
  } finally {
    endSftp(sftp);
  }
}

function endSftp(sftp: SFTPWrapper): void {
  sftp.end();
}
