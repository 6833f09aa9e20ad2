import { describe, expect, test } from "bun:test";
import { pinnedInstallLine } from "./install-line.ts";

const pin = `sha256//${"A".repeat(43)}=`;

describe("pinnedInstallLine", () => {
  test("curl held to the pin (-k: self-signed, the pin is the check), piped to sh; no token on it", () => {
    expect(pinnedInstallLine({ collectorUrl: "https://10.0.0.5:9101", pin })).toBe(
      `curl --pinnedpubkey ${pin} -kfsS https://10.0.0.5:9101/install.sh | sudo sh`,
    );
  });

  test("nothing that could change the line's meaning gets in", () => {
    const good = { collectorUrl: "https://hub.lan:9101", pin };
    for (const bad of [
      { ...good, collectorUrl: "http://hub.lan:9101" },
      { ...good, collectorUrl: "https://hub.lan:9101/x; reboot" },
      { ...good, pin: "sha256//x; reboot" },
      { ...good, pin: `sha256//${"A".repeat(43)}= ; id` },
    ]) {
      expect(() => pinnedInstallLine(bad)).toThrow();
    }
  });
});
