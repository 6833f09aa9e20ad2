import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { ScriptedExecutor, type ScriptedOutput } from "@infrastructor/lib/testing/scripted-executor.ts";
import { SmartDataSchema } from "../schema.ts";
import { createSmartCollector } from "./index.ts";
import { testdata } from "./testing/captures.ts";

const scanJson = (devices: { name: string; type: string }[]): string =>
  JSON.stringify({ json_format_version: [1, 0], smartctl: { version: [7, 3], exit_status: 0 }, devices });

function replay(byDevice: Record<string, ScriptedOutput>, scan: ScriptedOutput): ScriptedExecutor {
  return new ScriptedExecutor((argv) => (argv.includes("--scan-open") ? scan : byDevice[argv.at(-1) ?? ""]));
}

describe("smart collector on captured outputs", () => {
  test("scan, then each device without waking it; verdicts and exit flags in the sample", async () => {
    const executor = replay(
      {
        "/dev/sda": { stdout: testdata("beszel-sda-sata-ssd-exit64/smartctl-json.json"), exitCode: 64 },
        "/dev/nvme0": { stdout: testdata("beszel-nvme0/smartctl-json.json"), exitCode: 0 },
      },
      { stdout: testdata("beszel-scan/scan.json"), exitCode: 0 },
    );
    const collector = createSmartCollector({ executor });
    expect(collector.defaultIntervalMs).toBe(3_600_000);
    const { data, errors, unavailable } = await collector.collect();
    expect([errors, unavailable]).toEqual([[], undefined]);
    expect(SmartDataSchema.parse(data)).toEqual(data as never);
    expect(executor.calls).toEqual([
      ["smartctl", "--scan-open", "-j"],
      ["smartctl", "-a", "-j", "-n", "standby", "-d", "sat", "/dev/sda"],
      ["smartctl", "-a", "-j", "-n", "standby", "-d", "nvme", "/dev/nvme0"],
    ]);
    expect(data?.smartctl_version).toBe("7.5");
    expect(
      data?.drives.map((d) =>
        d.ok && d.power_mode === "active" ? [d.drive_id, d.verdict, d.exit_flags] : d,
      ),
    ).toEqual([
      ["P3-2TB:9C40918040082", "warning", ["error_log_has_errors"]],
      ["PELADN 512GB:2024031600129", "ok", []],
    ]);
  });

  test("standby, open failure, unreadable output and a bad device name are per-drive data", async () => {
    const executor = replay(
      {
        "/dev/sda": { stdout: testdata("handwritten-standby/smartctl-json.json"), exitCode: 2 },
        "/dev/sdb": {
          stdout: testdata("scrutiny-smart-fail-exit2-open-failed/smartctl-json.json"),
          exitCode: 2,
        },
        "/dev/sdc": { stdout: '{"smartctl": {"exit_status": 0}, "device": ', exitCode: 0 },
      },
      {
        stdout: scanJson([
          { name: "/dev/sda", type: "sat" },
          { name: "/dev/sdb", type: "sat" },
          { name: "/dev/sdc", type: "sat" },
          { name: "/dev/sdd;reboot", type: "sat" },
        ]),
        exitCode: 0,
      },
    );
    const { data, errors } = await createSmartCollector({ executor }).collect();
    expect(errors).toEqual([]);
    expect(SmartDataSchema.parse(data)).toEqual(data as never);
    const [standby, openFailed, garbage, bad] = data?.drives ?? [];
    expect(standby).toEqual({ device: "/dev/sda", type: "sat", ok: true, power_mode: "standby" });
    expect(openFailed).toMatchObject({
      ok: false,
      error: { code: "READ_FAILED" },
      exit_flags: ["device_open_failed"],
    });
    expect(garbage).toMatchObject({ ok: false, error: { code: "PARSE_FAILED" } });
    expect(bad).toMatchObject({ ok: false, error: { code: "INVALID_ARGUMENT" } });
    // The refused name never reached a command line.
    expect(executor.calls.flat().some((arg) => arg.includes("reboot"))).toBe(false);
  });

  test("smartmontools < 7: text scan and -iHA readings", async () => {
    const executor = new ScriptedExecutor((argv) => {
      const args = argv.slice(1).join(" ");
      if (args === "--scan-open -j") return { stdout: "=======> UNRECOGNIZED OPTION: j\n", exitCode: 1 };
      if (args === "--scan-open")
        return { stdout: "/dev/sda -d sat # /dev/sda [SAT], ATA device\n", exitCode: 0 };
      if (args === "-i -H -A -n standby -d sat /dev/sda") {
        return {
          stdout: testdata("telegraf-smartctl-text-iha-hgst-sata-smartctl6.6/smartctl-text.txt"),
          exitCode: 0,
        };
      }
      return undefined;
    });
    const { data } = await createSmartCollector({ executor }).collect();
    expect(data?.format).toBe("text");
    expect(data?.drives[0]).toMatchObject({
      ok: true,
      drive_id: "HGST HTE725050A7E630:RCE50G20G81S9S",
      verdict: "ok",
    });
  });

  test("the same disk under two paths is kept once, and said so", async () => {
    const sda = { stdout: testdata("beszel-sda-sata-ssd-exit64/smartctl-json.json"), exitCode: 64 };
    const byId = "/dev/disk/by-id/ata-P3-2TB_9C40918040082";
    const executor = replay(
      { "/dev/sda": sda, [byId]: sda },
      {
        stdout: scanJson([
          { name: "/dev/sda", type: "sat" },
          { name: byId, type: "sat" },
        ]),
        exitCode: 0,
      },
    );
    const { data, errors } = await createSmartCollector({ executor }).collect();
    expect(data?.drives).toHaveLength(1);
    expect(errors[0]?.message).toBe(`${byId} is the same drive as /dev/sda`);
  });

  test("sudo: true runs smartctl through sudo -n", async () => {
    const executor = replay({}, { stdout: testdata("local-smartctl7.3-debian12-vm/scan.json"), exitCode: 0 });
    const { data } = await createSmartCollector({ executor, sudo: true }).collect();
    expect(executor.calls[0]).toEqual(["sudo", "-n", "smartctl", "--scan-open", "-j"]);
    expect(data?.drives).toEqual([]);
  });
});

describe("smart collector with real processes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "smart-collector-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("no smartctl: unavailable with COMMAND_MISSING", async () => {
    const collector = createSmartCollector({
      executor: new LocalExecutor(),
      smartctl_path: join(dir, "absent"),
    });
    const result = await collector.collect();
    expect(result.data).toBeNull();
    expect(result.unavailable?.code).toBe("COMMAND_MISSING");
    expect(result.unavailable?.reason).toContain("smartmontools");
  });

  test("a device read that hangs is that drive's COMMAND_TIMEOUT; the sample still comes", async () => {
    const script = join(dir, "slow-smartctl");
    const scan = scanJson([{ name: "/dev/sda", type: "sat" }]).replaceAll("'", "");
    await writeFile(
      script,
      `#!/bin/sh\nif [ "$1" = "--scan-open" ]; then echo '${scan}'; exit 0; fi\nexec sleep 30\n`,
    );
    await chmod(script, 0o755);
    const collector = createSmartCollector({
      executor: new LocalExecutor(),
      smartctl_path: script,
      timeout_s: 1,
    });
    const { data, errors } = await collector.collect();
    expect(errors).toEqual([]);
    expect(data?.drives).toEqual([
      expect.objectContaining({
        device: "/dev/sda",
        ok: false,
        error: expect.objectContaining({ code: "COMMAND_TIMEOUT" }),
      }),
    ]);
  }, 30_000);

  test("a scan that fails is data null with its error", async () => {
    const script = join(dir, "broken-smartctl");
    await writeFile(script, "#!/bin/sh\necho 'smartctl: cannot do that' >&2\nexit 1\n");
    await chmod(script, 0o755);
    const { data, errors } = await createSmartCollector({
      executor: new LocalExecutor(),
      smartctl_path: script,
    }).collect();
    expect(data).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({ code: "COMMAND_FAILED", source: "smartctl --scan-open" }),
    ]);
    expect(errors[0]?.message).toContain("cannot do that");
  });
});
