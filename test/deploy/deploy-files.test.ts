import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { type IsolatedRoot, startIsolatedRoot } from "@infrastructor/lib/testing/isolated-root.ts";

/** Static checks of deploy/: every shell script is shellcheck-clean; the collector's unit verifies. */
const deployDir = resolve(import.meta.dir, "../../deploy");

/** Every file under deploy/ that is a shell script: *.sh, or a #!/bin/sh or openrc-run shebang. */
async function shellScripts(): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(deployDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const head = (await readFile(path, "utf8")).slice(0, 40);
    if (entry.name.endsWith(".sh") || /^#!\/(bin\/sh|sbin\/openrc-run)\b/.test(head)) found.push(path);
  }
  return found.sort();
}

function shellcheck(paths: string[]): { exitCode: number; output: string } {
  const run = Bun.spawnSync(["shellcheck", "--shell=sh", "--severity=style", ...paths], { stderr: "pipe" });
  return { exitCode: run.exitCode, output: run.stdout.toString() + run.stderr.toString() };
}

describe("shellcheck", () => {
  test("every shell script under deploy/ is clean (POSIX sh, all severities)", async () => {
    const scripts = await shellScripts();
    expect(scripts.map((p) => relative(deployDir, p))).toEqual([
      "install.sh",
      "openrc/infrastructor-agent",
      "smart/smartctl-read",
      "supervise/infrastructor-agent-supervise",
      "timescaledb/init/05-collector-role.sh",
      "timescaledb/init/10-grafana-reader.sh",
    ]);
    expect(shellcheck(scripts)).toEqual({ exitCode: 0, output: "" });
  });

  test("it does report a problem (the check can fail)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "infra-shellcheck-"));
    try {
      await writeFile(join(dir, "bad.sh"), '#!/bin/sh\nrm -rf $1/tmp\n[[ -n "$2" ]] && echo x\n');
      const result = shellcheck([join(dir, "bad.sh")]);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain("SC2086");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the collector's systemd unit", () => {
  let root: IsolatedRoot;
  beforeAll(async () => {
    root = await startIsolatedRoot("unit-check");
  });
  afterAll(async () => {
    await root?.destroy();
  });

  test("systemd-analyze verify accepts it where its bun and checkout exist", async () => {
    // The unit names /usr/local/bin/bun and /opt/infrastructor: give the isolated root both.
    await root.run(["mkdir", "-p", "/opt/infrastructor", "/etc/systemd/system"]);
    expect((await root.run(["ln", "-sf", process.execPath, "/usr/local/bin/bun"])).exitCode).toBe(0);
    await Bun.write(
      root.path("/etc/infrastructor/collector.env"),
      "COLLECTOR_API_TOKEN=0123456789abcdef0123\n",
    );
    const unit = await readFile(join(deployDir, "systemd/infrastructor-collector.service"), "utf8");
    await Bun.write(root.path("/etc/systemd/system/infrastructor-collector.service"), unit);
    const r = await root.run([
      "systemd-analyze",
      "verify",
      "/etc/systemd/system/infrastructor-collector.service",
    ]);
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: "" });
    for (const key of [
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
    ]) {
      expect(unit).toContain(`\n${key}\n`);
    }
  });
});
