import { describe, expect, test } from "bun:test";
import { ErrorCode } from "@infrastructor/shared/errors.ts";
import { ScriptedExecutor } from "./scripted-executor.ts";

const codeOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => "resolved",
    (e: { code?: string }) => e.code,
  );

describe("ScriptedExecutor", () => {
  test("keyed answers: output, exit code and truncation as scripted; the argv recorded", async () => {
    const executor = new ScriptedExecutor({
      "upsc -l": { exitCode: 0, stdout: "cp900\n" },
      "upsc dead": { exitCode: 1, stderr: "Error: Driver not connected\n" },
      "big out": { stdout: "a\nb", truncated: true },
    });
    expect(await executor.run(["upsc", "-l"])).toMatchObject({ exitCode: 0, stdout: "cp900\n", stderr: "" });
    expect(await executor.run(["upsc", "dead"])).toMatchObject({ exitCode: 1, stdout: "" });
    expect(await executor.run(["big", "out"])).toMatchObject({ exitCode: 0, truncated: true });
    expect(executor.calls).toEqual([
      ["upsc", "-l"],
      ["upsc", "dead"],
      ["big", "out"],
    ]);
    expect(executor.commands).toEqual(["upsc -l", "upsc dead", "big out"]);
    expect(executor.callsOf("upsc")).toHaveLength(2);
  });

  test("unscripted: missing by default; with 'fails', a known program exits 1 and an unknown one is missing", async () => {
    expect(await codeOf(new ScriptedExecutor({}).run(["zpool", "list"]))).toBe(ErrorCode.COMMAND_MISSING);
    const virsh = new ScriptedExecutor({ "virsh list": () => "web01\n" }, { unscripted: "fails" });
    expect(await virsh.run(["virsh", "list"])).toMatchObject({ exitCode: 0, stdout: "web01\n" });
    expect(await virsh.run(["virsh", "dominfo", "x"])).toMatchObject({ exitCode: 1 });
    expect(await codeOf(virsh.run(["pvesh", "get"]))).toBe(ErrorCode.COMMAND_MISSING);
  });

  test("a function script keys on any part of the argv; 'local' runs the rest for real", async () => {
    const executor = new ScriptedExecutor(
      (argv) => (argv[0] === "smartctl" ? { stdout: `device ${argv.at(-1)}` } : undefined),
      { unscripted: "local" },
    );
    expect((await executor.run(["smartctl", "-a", "/dev/sda"])).stdout).toBe("device /dev/sda");
    expect((await executor.run(["echo", "real"])).stdout).toBe("real\n");
  });

  test("'missing' and 'timeout' answers throw the codes the LocalExecutor throws", async () => {
    const executor = new ScriptedExecutor({ "a x": "missing", "b x": "timeout" });
    expect(await codeOf(executor.run(["a", "x"]))).toBe(ErrorCode.COMMAND_MISSING);
    expect(await codeOf(executor.run(["b", "x"]))).toBe(ErrorCode.COMMAND_TIMEOUT);
  });

  test("files: this machine's by default; only the scripted ones when given", async () => {
    expect(await new ScriptedExecutor({}).readFile("/proc/self/stat")).not.toBe("");
    const host = new ScriptedExecutor({}, { files: { "/etc/hostname": "pve1\n", "/etc/pve/a.conf": "" } });
    expect(await host.readFile("/etc/hostname")).toBe("pve1\n");
    expect(await codeOf(host.readFile("/etc/os-release"))).toBe(ErrorCode.NOT_FOUND);
    expect(await host.listDir("/etc")).toEqual(["hostname", "pve"]);
  });

  test("Docker API: scripted bodies, HTTP 500 for any other path, no API unless scripted", async () => {
    expect(new ScriptedExecutor({}).dockerGet).toBeUndefined();
    const engine = new ScriptedExecutor({}, { docker: { "/networks": "[]" } });
    expect(await engine.dockerGet?.("/networks")).toEqual({ status: 200, body: "[]", truncated: false });
    expect((await engine.dockerGet?.("/containers/x/json"))?.status).toBe(500);
  });
});
