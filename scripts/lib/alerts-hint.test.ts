import { expect, test } from "bun:test";
import { parseAlertConfig } from "../../collector/src/alerts/alert-config.ts";
import { alertsHint } from "./alerts-hint.ts";

test("bun run up's alerts hint: a channel entry the config parser takes, and the test command", () => {
  const off = alertsHint(undefined);
  expect(off).toContain("no ALERTS_CONFIG");
  expect(off).toContain("bun run infra alerts test phone");
  expect(alertsHint("/etc/infrastructor/alerts.yaml")).toContain(
    "ALERTS_CONFIG=/etc/infrastructor/alerts.yaml",
  );
  // The example as printed, indented two spaces, is a valid config.
  const lines = off.split("\n");
  const start = lines.indexOf("  channels:");
  const example = lines
    .slice(start, start + 3)
    .map((l) => l.slice(2))
    .join("\n");
  const config = parseAlertConfig(example, "hint");
  expect(config.channels.map((c) => c.name)).toEqual(["phone"]);
});
