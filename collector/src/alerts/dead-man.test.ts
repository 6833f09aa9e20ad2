import { afterEach, describe, expect, test } from "bun:test";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import { DeadManSwitch, fleetSilentObservation } from "./dead-man.ts";

const servers: { stop(force?: boolean): unknown }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.stop(true);
});

/** A real HTTP receiver standing in for healthchecks.io: counts pings, answers what it is told. */
function receiver(status: () => number) {
  const pings: { path: string; method: string }[] = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      pings.push({ path: new URL(req.url).pathname, method: req.method });
      return new Response("OK", { status: status() });
    },
  });
  servers.push(server);
  return { pings, url: `http://127.0.0.1:${server.port}/ping/0b6f-secret-uuid` };
}

describe("DeadManSwitch", () => {
  test("pings every interval while healthy, stops while not, and never names the URL in a failure", async () => {
    let healthy = true;
    let status = 200;
    const r = receiver(() => status);
    const failures: string[] = [];
    const dms = new DeadManSwitch({
      url: r.url,
      everyMs: 50,
      healthy: async () => healthy,
      onFailure: (why) => failures.push(why),
    });
    dms.start();
    try {
      await waitFor("three pings", async () => r.pings.length >= 3, 10_000, 10);
      expect(r.pings[0]).toEqual({ path: "/ping/0b6f-secret-uuid", method: "POST" });
      healthy = false;
      const before = r.pings.length;
      await Bun.sleep(300);
      // At most the ping already in flight when health turned.
      expect(r.pings.length).toBeLessThanOrEqual(before + 1);
      healthy = true;
      status = 500;
      await waitFor("a failed ping reported", async () => failures.length > 0, 10_000, 10);
      expect(failures[0]).toBe("dead-man's switch ping answered HTTP 500");
      expect(dms.last?.ok).toBe(false);
    } finally {
      dms.stop();
    }
    // Nothing listens: the failure is reported, without the URL's secret.
    const reasons: string[] = [];
    const probe = new DeadManSwitch({
      url: "http://127.0.0.1:1/ping/0b6f-secret-uuid",
      everyMs: 1000,
      healthy: async () => true,
      onFailure: (why) => reasons.push(why),
    });
    await probe.ping();
    expect(reasons).toHaveLength(1);
    expect(reasons.join(" ")).not.toContain("0b6f-secret-uuid");
  });
});

describe("fleetSilentObservation", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  const ago = (min: number): Date => new Date(now.getTime() - min * 60_000);

  test("no host at all for the threshold: one critical fleet-wide observation; one host reporting: none", () => {
    expect(fleetSilentObservation([ago(12), ago(30), null], now, 10 * 60_000)).toMatchObject({
      key: "fleet_silent|(fleet)|",
      severity: "critical",
      evidence: "the newest report of 2 hosts is 12 min old (alert after 10 min)",
    });
    expect(fleetSilentObservation([ago(12), ago(1)], now, 10 * 60_000)).toBeNull();
    expect(fleetSilentObservation([], now, 10 * 60_000)).toBeNull();
  });
});
