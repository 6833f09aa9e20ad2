import { describe, expect, test } from "bun:test";
import {
  type Alert,
  type AlertPolicy,
  DEFAULT_POLICY,
  type Observation,
} from "@infrastructor/lib/alerts/alert.ts";
import { evaluateAlerts } from "./evaluate.ts";

const MIN = 60_000;
const t0 = new Date("2026-12-02T10:00:00Z");
const at = (minutes: number): Date => new Date(t0.getTime() + minutes * MIN);

function observe(device: string, over: Partial<Observation> = {}): Observation {
  return {
    key: `host_down|${device}|`,
    rule: "host_down",
    device,
    domain: "agent",
    severity: "critical",
    what: "not reporting",
    evidence: "last seen 2 min ago; expected every 15 s",
    status: "active",
    ...over,
  };
}

/** Runs the evaluator minute by minute; `seen(minute)` says what is observed then. Returns every event. */
function run(
  minutes: number,
  seen: (minute: number) => Observation[],
  policy: Partial<AlertPolicy> = {},
  between: (minute: number, alerts: Map<string, Alert>) => void = () => {},
  groupWaitMs = 0,
) {
  let alerts = new Map<string, Alert>();
  const events: { minute: number; kind: string; device: string; severity: string }[] = [];
  for (let m = 0; m <= minutes; m++) {
    between(m, alerts);
    const out = evaluateAlerts(alerts, seen(m), at(m), () => ({ ...DEFAULT_POLICY, ...policy }), {
      groupWaitMs,
    });
    alerts = out.alerts;
    for (const e of out.events)
      events.push({ minute: m, kind: e.kind, device: e.alert.device, severity: e.alert.severity });
  }
  return { events, alerts };
}

describe("evaluateAlerts", () => {
  test("a host silent: pending for the `for` period, then one firing; back: one resolved after the clear period", () => {
    const { events, alerts } = run(40, (m) => (m >= 2 && m < 20 ? [observe("nas")] : []));
    expect(events).toEqual([
      { minute: 7, kind: "firing", device: "nas", severity: "critical" },
      { minute: 25, kind: "resolved", device: "nas", severity: "critical" },
    ]);
    // Resolved and quiet: kept only while its flips could still make it flap.
    expect([...alerts.values()].map((a) => a.state)).toEqual(["resolved"]);
  });

  test("a condition shorter than the `for` period never notifies", () => {
    const { events, alerts } = run(30, (m) => (m % 4 < 3 ? [observe("nas")] : []));
    expect(events).toEqual([]);
    expect([...alerts.values()].every((a) => a.state === "pending")).toBe(true);
  });

  test("a flapping host: a few notifications, then one `flapping`, then silence until it settles", () => {
    // Fires and resolves every other minute for 40 minutes, then stays up (clear) for good.
    const { events } = run(130, (m) => (m < 40 && m % 2 === 0 ? [observe("edge")] : []), {
      forMs: 0,
      clearForMs: 0,
      flap: { count: 4, windowMs: 60 * MIN },
    });
    expect(events.map((e) => e.kind)).toEqual(["firing", "resolved", "firing", "flapping", "resolved"]);
    expect(events.filter((e) => e.kind === "flapping")).toHaveLength(1);
    // The settled state is told once a whole window has passed without a flip.
    expect(events.at(-1)?.minute).toBeGreaterThanOrEqual(39 + 60);
  });

  test("repeat while firing; an acknowledgement stops it until the alert changes severity", () => {
    const obs = (m: number) => [observe("nas", { severity: m >= 200 ? "warning" : "critical" })];
    const { events } = run(320, obs, { forMs: 0, repeatMs: 60 * MIN }, (m, alerts) => {
      if (m === 90) for (const a of alerts.values()) a.ackedAt = at(m);
    });
    expect(events.map((e) => `${e.minute} ${e.kind}`)).toEqual([
      "0 firing",
      "60 repeat",
      // acknowledged at 90: no repeat at 120 or 180
      "200 severity_changed",
      "260 repeat",
      "320 repeat",
    ]);
  });

  test("hysteresis: in the band a firing alert stays firing, and one not firing does not start", () => {
    const band = (m: number): Observation[] =>
      m < 10 ? [observe("nas")] : m < 60 ? [observe("nas", { status: "hold" })] : [];
    const { events } = run(80, band, { forMs: 0, clearForMs: 0 });
    expect(events.map((e) => `${e.minute} ${e.kind}`)).toEqual(["0 firing", "60 resolved"]);
    const never = run(30, () => [observe("nas", { status: "hold" })], { forMs: 0 });
    expect(never.events).toEqual([]);
    expect(never.alerts.size).toBe(0);
  });

  test("a rule turned off forgets its alerts without a word", () => {
    const { events, alerts } = run(20, () => [observe("nas")], { enabled: false });
    expect(events).toEqual([]);
    expect(alerts.size).toBe(0);
  });

  test("twenty hosts silent at once: twenty alerts, each its own key (grouping is the notification plan's)", () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `h${String(i).padStart(2, "0")}`);
    const { events } = run(10, () => hosts.map((h) => observe(h)));
    expect(events.filter((e) => e.kind === "firing").map((e) => e.device)).toEqual(hosts);
  });

  describe("with a group wait", () => {
    const WAIT = 3 * MIN;
    const quiet = { forMs: 0, clearForMs: 0 };

    test("hosts that fire one by one within the wait are told together, when the first has waited it", () => {
      // A switch dies: its hosts go silent over minutes 2, 3 and 4.
      const seen = (m: number) => ["a", "b", "c"].filter((_, i) => m >= 2 + i).map((d) => observe(d));
      const { events, alerts } = run(20, seen, quiet, () => {}, WAIT);
      expect(events).toEqual(
        ["a", "b", "c"].map((device) => ({ minute: 5, kind: "firing", device, severity: "critical" })),
      );
      expect([...alerts.values()].every((a) => a.notifiedAt?.getTime() === at(5).getTime())).toBe(true);
    });

    test("one that fires after the group was told waits for a group of its own", () => {
      const seen = (m: number) => [observe("a"), ...(m >= 10 ? [observe("late")] : [])];
      const { events } = run(20, seen, quiet, () => {}, WAIT);
      expect(events.map((e) => [e.minute, e.device])).toEqual([
        [3, "a"],
        [13, "late"],
      ]);
    });

    test("over before it was told: never told, neither firing nor resolved", () => {
      const { events, alerts } = run(
        20,
        (m) => (m >= 2 && m < 4 ? [observe("blip")] : []),
        quiet,
        () => {},
        WAIT,
      );
      expect(events).toEqual([]);
      expect([...alerts.values()].map((a) => a.state)).toEqual(["resolved"]);
    });

    test("acknowledged while it waited: not told; a severity change while it waits is told as it is then", () => {
      const seen = (m: number) => [
        observe("acked"),
        observe("worse", { severity: m >= 1 ? "critical" : "warning", key: "host_down|worse|" }),
      ];
      const { events } = run(
        10,
        seen,
        quiet,
        (m, alerts) => {
          const a = alerts.get("host_down|acked|");
          if (m === 1 && a) a.ackedAt = at(1);
        },
        WAIT,
      );
      expect(events).toEqual([{ minute: 3, kind: "firing", device: "worse", severity: "critical" }]);
    });
  });
});
