import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isValidDevice, isValidType } from "@infrastructor/domains/smart/agent/device-ref.ts";

/**
 * deploy/smart/smartctl-read, the sudo wrapper, run for real with a recording stand-in for smartctl:
 * it passes exactly the agent's read commands and refuses everything else before smartctl runs. Its
 * patterns are POSIX EREs copied from shared/domains/smart/agent/device-ref.ts: the same inputs must
 * get the same verdict from both. (Through real sudo in an isolated root: install-hardening.test.ts.)
 */
const wrapperSource = resolve(import.meta.dir, "../../deploy/smart/smartctl-read");
let dir: string;
let wrapper: string;
let record: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-smartctl-read-"));
  record = join(dir, "argv.log");
  const fake = join(dir, "smartctl");
  await writeFile(fake, `#!/bin/sh\nprintf '%s|' "$@" >>'${record}'\necho >>'${record}'\n`);
  await chmod(fake, 0o755);
  wrapper = join(dir, "smartctl-read");
  const text = await readFile(wrapperSource, "utf8");
  if (!text.includes("SMARTCTL=@SMARTCTL@\n")) throw new Error("the wrapper has no SMARTCTL=@SMARTCTL@ line");
  await writeFile(wrapper, text.replace("SMARTCTL=@SMARTCTL@\n", `SMARTCTL=${fake}\n`));
  await chmod(wrapper, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ exitCode: number; stderr: string; ran: string[] }> {
  await rm(record, { force: true });
  const proc = Bun.spawn([wrapper, ...args], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const [stderr, exitCode] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  const ran = await readFile(record, "utf8").then(
    (t) => t.split("\n").filter((l) => l !== ""),
    () => [],
  );
  return { exitCode, stderr, ran };
}

describe("smartctl-read", () => {
  test("the agent's four read commands reach smartctl unchanged", async () => {
    for (const args of [
      ["--scan-open"],
      ["--scan-open", "-j"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/dev/sda"],
      ["-i", "-H", "-A", "-n", "standby", "-d", "megaraid,12", "/dev/bus/0"],
      ["-a", "-j", "-n", "standby", "-d", "nvme", "/dev/disk/by-id/nvme-Samsung_SSD_980_S64DNX0R1"],
    ]) {
      const r = await run(args);
      expect({ args, exitCode: r.exitCode, ran: r.ran }).toEqual({
        args,
        exitCode: 0,
        ran: [`${args.join("|")}|`],
      });
    }
  });

  test("anything else is refused and smartctl never runs", async () => {
    for (const args of [
      [],
      ["-s", "off", "/dev/sda"],
      ["--set=wcache,off", "/dev/sda"],
      ["-t", "long", "/dev/sda"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/dev/sda", "-s", "off"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "-s", "off"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/dev/../etc/shadow"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/etc/shadow"],
      ["-a", "-j", "-n", "standby", "-d", "sat -s off", "/dev/sda"],
      ["-a", "-j", "-n", "standby", "-d", "sat", "/dev/sda\n-s off"],
      ["-a", "-j", "-n", "standby", "-d", "sat\n-s", "/dev/sda"],
      ["-a", "-s on -n", "standby", "-d", "sat", "/dev/sda"],
      ["-a", "-j", "-n", "never", "-d", "sat", "/dev/sda"],
      ["-x", "-j", "-n", "standby", "-d", "sat", "/dev/sda"],
      ["--scan-open", "-j", "-s", "off"],
      ["--scan-open", "--set=standby,now"],
      ["-i", "-H", "-A", "-n", "standby", "-d", "sat", "--", "/dev/sda"],
    ]) {
      const r = await run(args);
      expect({
        args,
        exitCode: r.exitCode,
        refused: r.stderr.includes("smartctl-read: refused"),
        ran: r.ran,
      }).toEqual({ args, exitCode: 64, refused: true, ran: [] });
    }
  });

  test("device paths and -d types: the same verdict as the agent's patterns", async () => {
    const devices = [
      "/dev/sda",
      "/dev/sdaaa",
      "/dev/sdaaaa",
      "/dev/vdb",
      "/dev/hdt",
      "/dev/hdu",
      "/dev/nvme0",
      "/dev/nvme0n1",
      "/dev/nvme0n1p1",
      "/dev/sg12",
      "/dev/bus/0",
      "/dev/bus/0/1",
      "/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0XXXXXX",
      "/dev/disk/by-id/../../sda",
      "/dev/disk/by-id/a..b",
      "/dev/disk/by-id/-x",
      "/dev/disk/by-id/a/b",
      "/dev/sda ",
      "/dev/sd",
      "/dev/mem",
      "dev/sda",
      "//dev/sda",
      "/dev//sda",
      "-s",
      "",
    ];
    const types = [
      "sat",
      "nvme",
      "scsi",
      "auto",
      "sat,12",
      "sat,auto",
      "megaraid,0",
      "sat+megaraid,12",
      "areca,1/2",
      "areca,1/2/3",
      "areca,1/2/3/4",
      "cciss,1234",
      "SAT",
      "sat,",
      "+sat",
      "sat+",
      "a+b+c",
      "x".repeat(16),
      "x".repeat(17),
      "sat;id",
      "sat,off",
      "-s",
      "",
    ];
    for (const device of devices) {
      const r = await run(["-a", "-j", "-n", "standby", "-d", "sat", device]);
      expect({ device, passes: r.exitCode === 0 }).toEqual({ device, passes: isValidDevice(device) });
    }
    for (const type of types) {
      const r = await run(["-a", "-j", "-n", "standby", "-d", type, "/dev/sda"]);
      expect({ type, passes: r.exitCode === 0 }).toEqual({ type, passes: isValidType(type) });
    }
  });
});
