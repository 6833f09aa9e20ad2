import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { AppError } from "@infrastructor/shared/errors.ts";
import { parseAlertConfig } from "./alert-config.ts";
import { METRICS } from "./metrics.ts";
import { observeUserRules } from "./user-rules.ts";

const GOOD = `# alerts.yaml, kept in git
channels:
  - name: phone
    url_file: /etc/infrastructor/ntfy.url
defaults:
  channels: [phone]
  for: 5m
  repeat: never
builtin:
  other_updates: { enabled: false }
  host_down: { for: 2m, repeat: 12h }
rules:
  - name: root-full
    when: system.disk_used_pct > 90
    clear: system.disk_used_pct < 85
    scope: { hosts: ["nas", "web*"], subjects: "/" }
    severity: critical
    for: 10m
`;

function problems(text: string): string[] {
  try {
    parseAlertConfig(text, "alerts.yaml");
  } catch (err) {
    if (err instanceof AppError) return (err.details?.problems as string[]) ?? [err.message];
    throw err;
  }
  return [];
}

describe("parseAlertConfig", () => {
  test("a good file: durations in ms, built-in rules tuned by name, a user rule's conditions parsed", () => {
    const c = parseAlertConfig(GOOD, "alerts.yaml");
    expect(c.defaults).toMatchObject({ channels: ["phone"], for: 300_000, repeat: null });
    expect(c.builtin.host_down).toEqual({ for: 120_000, repeat: 43_200_000 });
    expect(c.builtin.other_updates).toEqual({ enabled: false });
    expect(c.rules[0]).toMatchObject({
      name: "root-full",
      when: { metric: "system.disk_used_pct", op: ">", value: 90 },
      clear: { metric: "system.disk_used_pct", op: "<", value: 85 },
      severity: "critical",
      for: 600_000,
    });
  });

  test("every error names its line, all at once", () => {
    const bad = GOOD.replace("for: 2m", "for: soon")
      .replace("other_updates:", "no_such_rule:")
      .replace("system.disk_used_pct > 90", "system.disk_usage > 90");
    expect(problems(bad)).toEqual([
      expect.stringMatching(/^alerts\.yaml:10: builtin\.no_such_rule: no built-in rule no_such_rule/),
      expect.stringMatching(/^alerts\.yaml:11: builtin\.host_down\.for: not a duration: soon/),
      expect.stringMatching(
        /^alerts\.yaml:14: rules\.0\.when: unknown metric system\.disk_usage; known: system\.cpu_pct/,
      ),
    ]);
  });

  test("a channel named by a rule but never declared is an error at the rule's line", () => {
    const bad = GOOD.replace("    for: 10m\n", "    for: 10m\n    channels: [pager]\n");
    expect(problems(bad)).toEqual([
      expect.stringMatching(/^alerts\.yaml:19: rules\.0\.channels\.0: no channel pager \(declared: phone\)/),
    ]);
    const twice = GOOD.replace(
      "channels:\n  - name: phone",
      "channels:\n  - name: phone\n    url_env: A\n  - name: phone",
    );
    expect(problems(twice)[0]).toMatch(/^alerts\.yaml:\d+: channels\.1\.name: channel phone is named twice/);
  });

  test("broken YAML and unknown keys are named by line too", () => {
    expect(problems("defaults:\n  for: 5m\n  fro: 5m\n")).toEqual([
      expect.stringMatching(/^alerts\.yaml:3: defaults: Unrecognized key: "fro"/),
    ]);
    expect(problems("rules:\n  - name: [unclosed\n")[0]).toMatch(/^alerts\.yaml:\d: /);
    expect(problems("defaults:\n  for: 5m\n  for: 6m\n")[0]).toMatch(/^alerts\.yaml:3: .*unique/i);
  });
});

describe("observeUserRules", () => {
  const config = parseAlertConfig(GOOD, "alerts.yaml");
  const system = (device: string, usedPct: number, mount = "/") => ({
    device,
    tags: [],
    domain: "system" as const,
    data: {
      mounts: [{ mountpoint: mount, used_bytes: usedPct, free_bytes: 100 - usedPct }],
    },
  });

  test("over the threshold: active; in the band: hold; under the clear: nothing; out of scope: nothing", () => {
    const seen = observeUserRules(config.rules, [
      system("nas", 93),
      system("web1", 88),
      system("web2", 80),
      system("db1", 99),
      system("nas", 99, "/srv"),
    ]);
    expect(seen.map((o) => [o.key, o.status, o.severity])).toEqual([
      ["root-full|nas|/", "active", "critical"],
      ["root-full|web1|/", "hold", "critical"],
    ]);
    expect(seen[0]?.evidence).toBe("system.disk_used_pct / = 93; fires > 90, clears < 85");
    const templated = parseAlertConfig(
      GOOD.replace(
        "    for: 10m\n",
        '    for: 10m\n    text: "{device}: {subject} at {value}% (over {threshold}%), {nope}"\n',
      ),
      "alerts.yaml",
    );
    expect(observeUserRules(templated.rules, [system("nas", 93)])[0]?.what).toBe(
      "nas: / at 93% (over 90%), {nope}",
    );
  });
});

describe("the README's alert config", () => {
  test("its example parses, and the metrics it lists are exactly the catalog", async () => {
    const readme = await Bun.file(join(import.meta.dir, "../../../README.md")).text();
    const section = readme.slice(readme.indexOf("## Alerts"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const config = parseAlertConfig(yaml, "README.md");
    expect(config.rules.map((r) => r.name)).toEqual(["data_disk"]);
    const listed = /Metrics a rule may watch: ([\s\S]*?)\n\(/.exec(section)?.[1] ?? "";
    const names = [...listed.matchAll(/`([a-z]+\.[a-z0-9_]+)`/g)].map((m) => m[1]);
    expect(names.sort()).toEqual(Object.keys(METRICS).sort());
  });
});
