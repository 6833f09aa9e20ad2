import { expect, test } from "bun:test";
import type { PlannedNotification } from "@infrastructor/lib/alerts/alert.ts";
import { DEFAULT_POLICY } from "@infrastructor/lib/alerts/alert.ts";
import { parseAlertConfig } from "./alert-config.ts";
import { engineSettings, ruleOfKey } from "./engine-settings.ts";

const CONFIG = `
channels:
  - { name: phone, url: "ntfy://ntfy.example/alerts" }
  - { name: mail, url: "ntfy://ntfy.example/mail" }
defaults:
  channels: [phone]
  for: 2m
  group_at_least: 5
  evaluate_every: 1m
builtin:
  other_updates: { enabled: false }
  host_down: { for: 1m, repeat: 12h, channels: [phone, mail] }
rules:
  - name: root-full
    when: system.disk_used_pct > 90
    clear_for: 10m
`;

function note(key: string): PlannedNotification {
  return {
    dedupKey: "d",
    kind: "firing",
    severity: "critical",
    title: "t",
    body: "b",
    hosts: [],
    at: new Date(),
    alertKeys: [key],
  };
}

test("each rule's policy: its tuning over the config's defaults over DEFAULT_POLICY", () => {
  const s = engineSettings(parseAlertConfig(CONFIG, "alerts.yaml"));
  expect(s.policyOf("zfs_pool_degraded")).toEqual({ ...DEFAULT_POLICY, forMs: 120_000 });
  expect(s.policyOf("host_down")).toEqual({ ...DEFAULT_POLICY, forMs: 60_000, repeatMs: 43_200_000 });
  expect(s.policyOf("other_updates").enabled).toBe(false);
  expect(s.policyOf("root-full")).toEqual({ ...DEFAULT_POLICY, forMs: 120_000, clearForMs: 600_000 });
  expect([s.groupAtLeast, s.intervalMs]).toEqual([5, 60_000]);
});

test("each notification's channels: its rule's, else the defaults'", () => {
  const s = engineSettings(parseAlertConfig(CONFIG, "alerts.yaml"));
  expect(s.channelsOf(note("host_down|nas|"))).toEqual(["phone", "mail"]);
  expect(s.channelsOf(note("root-full|nas|/"))).toEqual(["phone"]);
  expect(s.channelsOf(note("zfs_pool_degraded|nas|pool tank"))).toEqual(["phone"]);
  expect(ruleOfKey("disk_full|nas|disk /srv #% full")).toBe("disk_full");
});

test("without defaults.channels every declared channel hears every rule", () => {
  const s = engineSettings(
    parseAlertConfig('channels:\n  - { name: phone, url: "ntfy://ntfy.example/a" }\n', "a.yaml"),
  );
  expect(s.channelsOfRule("host_down")).toEqual(["phone"]);
  expect(s.policyOf("host_down")).toEqual(DEFAULT_POLICY);
});
