import { describe, expect, test } from "bun:test";
import type { Mute } from "@infrastructor/lib/alerts/alert.ts";
import {
  type Alert,
  type AlertEvent,
  DEFAULT_POLICY,
  type Observation,
} from "@infrastructor/lib/alerts/alert.ts";
import { evaluateAlerts } from "./evaluate.ts";
import { type PlanContext, planNotifications } from "./notify-plan.ts";

const now = new Date("2026-12-02T12:00:00Z");

function obs(device: string, rule = "host_down", over: Partial<Observation> = {}): Observation {
  return {
    key: `${rule}|${device}|`,
    rule,
    device,
    domain: rule === "host_down" ? "agent" : "docker",
    severity: rule === "host_down" ? "critical" : "warning",
    what: rule === "host_down" ? "not reporting" : "container web exited 1",
    evidence: rule === "host_down" ? "last seen 6 min ago; expected every 15 s" : "exit code 1",
    status: "active",
    ...over,
  };
}

/** The events of observations that fire at once (no pending period). */
function firing(observations: Observation[]): AlertEvent[] {
  return evaluateAlerts(new Map<string, Alert>(), observations, now, () => ({ ...DEFAULT_POLICY, forMs: 0 }))
    .events;
}

const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  now,
  mutes: [],
  tagsOf: () => [],
  down: new Set(),
  groupAtLeast: 3,
  ...over,
});

const mute = (over: Partial<Mute>): Mute => ({
  device: null,
  rule: null,
  key: null,
  tag: null,
  until: new Date(now.getTime() + 3_600_000),
  ...over,
});

describe("planNotifications", () => {
  test("one alert: what, where, since when, how bad and the first step", () => {
    const [n] = planNotifications(firing([obs("nas")]), ctx()).notifications;
    expect(n?.title).toBe("[CRITICAL] nas: not reporting");
    expect(n?.body).toContain("Firing since 2026-12-02T12:00:00.000Z");
    expect(n?.body).toContain("last seen 6 min ago");
    expect(n?.body).toContain("First step: Check the host is up");
    expect(n?.hosts).toEqual(["nas"]);
    expect(n?.dedupKey).toBe("host_down|nas||firing|2026-12-02T12:00:00.000Z");
  });

  test("twenty hosts silent at once: one notification naming them all", () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `h${String(i).padStart(2, "0")}`);
    const plan = planNotifications(firing(hosts.map((h) => obs(h))), ctx());
    expect(plan.notifications).toHaveLength(1);
    expect(plan.notifications[0]?.title).toBe("[CRITICAL] 20 hosts: not reporting");
    expect(plan.notifications[0]?.hosts).toEqual(hosts);
    expect(plan.notifications[0]?.body).toContain("h00, h01");
    expect(plan.notifications[0]?.alertKeys).toHaveLength(20);
  });

  test("one host's many alerts of one rule (a Docker daemon down, or a hostile host's flood): one notification", () => {
    for (const count of [40, 5_000]) {
      const names = Array.from({ length: count }, (_, i) => `app-${i}`);
      const events = firing(
        names.map((n) =>
          obs("web", "container_exited", {
            key: `container_exited|web|${n}`,
            what: `container ${n} exited 1`,
          }),
        ),
      );
      const plan = planNotifications(events, ctx());
      expect(plan.notifications).toHaveLength(1);
      const [n] = plan.notifications;
      expect(n?.title).toBe(`[WARNING] web: ${count} alerts, e.g. container app-0 exited 1`);
      expect(n?.hosts).toEqual(["web"]);
      expect(n?.alertKeys).toHaveLength(count);
      expect(n?.body).toContain(`- and ${count - 12} more`);
      expect(n?.body.split("\n").length).toBeLessThanOrEqual(16);
    }
  });

  test("two hosts are not a group", () => {
    expect(planNotifications(firing([obs("a"), obs("b")]), ctx()).notifications).toHaveLength(2);
  });

  test("a host that is down inhibits its own container alerts, not other hosts'", () => {
    const events = firing([obs("nas"), obs("nas", "container_exited"), obs("web", "container_exited")]);
    const plan = planNotifications(events, ctx({ down: new Set(["nas"]) }));
    expect(plan.notifications.map((n) => n.title)).toEqual([
      "[CRITICAL] nas: not reporting",
      "[WARNING] web: container web exited 1",
    ]);
    expect(plan.suppressed.map((s) => [s.event.alert.key, s.reason])).toEqual([
      ["container_exited|nas|", "inhibited"],
    ]);
  });

  test("mutes by host, rule, alert and tag hold until they expire", () => {
    const events = firing([
      obs("nas"),
      obs("web", "container_exited"),
      obs("lab1"),
      obs("lab2", "container_exited"),
    ]);
    const tagsOf = (d: string): string[] => (d.startsWith("lab") ? ["lab"] : []);
    const muted = (mutes: Mute[]): string[] =>
      planNotifications(events, ctx({ mutes, tagsOf, groupAtLeast: 99 })).suppressed.map(
        (s) => s.event.alert.key,
      );
    expect(muted([mute({ device: "nas" })])).toEqual(["host_down|nas|"]);
    expect(muted([mute({ rule: "container_exited" })])).toEqual([
      "container_exited|lab2|",
      "container_exited|web|",
    ]);
    expect(muted([mute({ key: "host_down|lab1|" })])).toEqual(["host_down|lab1|"]);
    expect(muted([mute({ tag: "lab" })])).toEqual(["container_exited|lab2|", "host_down|lab1|"]);
    expect(muted([mute({ device: "nas", until: new Date(now.getTime() - 1) })])).toEqual([]);
  });
});
