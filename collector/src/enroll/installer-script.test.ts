import { describe, expect, test } from "bun:test";
import { installerScript } from "./installer-script.ts";

const pin = `sha256//${"Ab9+/".repeat(8)}abc=`;

describe("installerScript", () => {
  test("over HTTPS it carries the collector's pin, which the script re-uses for every request", async () => {
    const script = await installerScript("https://hub.lan:9101", pin);
    expect(script).toContain("DEFAULT_COLLECTOR='https://hub.lan:9101'");
    expect(script).toContain(`DEFAULT_PIN='${pin}'`);
    expect(script).toContain('curl --proto =https --pinnedpubkey "$PIN" -k "$@"');
  });

  test("without TLS no pin is written", async () => {
    expect(await installerScript("http://hub.lan:9101")).toContain("DEFAULT_PIN=''\n");
  });

  test("a pin that is not sha256//<base64> never reaches the shell text", async () => {
    for (const bad of ["sha256//x'; reboot; '", `${pin}\nid`, "md5//abc", `sha256//${"A".repeat(44)}`]) {
      await expect(installerScript("https://hub.lan:9101", bad)).rejects.toThrow(/pin/);
    }
  });
});
