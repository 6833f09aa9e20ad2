import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { collectRack } from "@infrastructor/domains/ups/agent/testing/rack.ts";
import type { UpsData } from "@infrastructor/domains/ups/schema.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
let sample: UpsData;
const t0 = Date.now() - 3_600_000;

function envelope(seq: number, collectedAtMs: number, data: UpsData): Envelope {
  return domainEnvelope("rack1", "ups", data, {
    seq,
    boot_id: "ups-test",
    collected_at: new Date(collectedAtMs).toISOString(),
  });
}

beforeAll(async () => {
  pipeline = await startPipeline();
  const { data } = await collectRack();
  if (data === null) throw new Error("no ups sample");
  sample = data;
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

describe("ups envelopes through NATS into ups_state, ups_devices and ups_metrics", () => {
  test("units and figures are stored; a failed listing keeps the units; an older replay changes nothing", async () => {
    const { sql, js } = pipeline;
    await publishEnvelopes(js, [envelope(1, t0 + 60_000, sample)]);
    await waitFor(
      "ups_state",
      async () => {
        const [n] = await sql`SELECT count(*)::int AS n FROM ups_state`;
        return n?.n === 1;
      },
      60_000,
    );
    const units = await sql`SELECT ups, mfr, model, serial, status FROM ups_devices ORDER BY ups`;
    expect(units.map((u) => `${u.ups}/${u.mfr}/${u.model}/${u.status}`)).toEqual([
      "cp900/CPS/CP900EPFCLCD/OL",
      "eaton5sc/EATON/Eaton 5SC 2200i RT/OL",
      "evolution/MGE UPS SYSTEMS/Pulsar Evolution 500/OB DISCHRG",
    ]);
    const metrics = await sql`
      SELECT ups, status, battery_charge_pct, battery_runtime_s, load_pct, input_voltage_v, output_voltage_v,
        battery_voltage_v, temperature_c, time FROM ups_metrics ORDER BY ups`;
    expect(
      metrics.map((m) => [m.ups, m.status, m.battery_charge_pct, m.battery_runtime_s, m.load_pct]),
    ).toEqual([
      ["cp900", "OL", 100, 4020, 13],
      ["eaton5sc", "OL", 100, 1631, 17],
      ["evolution", "OB DISCHRG", 90, 3690, 10],
    ]);
    expect(metrics[1]).toMatchObject({ input_voltage_v: 231, battery_voltage_v: null, temperature_c: null });
    expect(metrics[1]?.output_voltage_v).toBeCloseTo(231.2, 3);
    expect(metrics[0]?.time.getTime()).toBe(t0 + 60_000);

    // Newer: upsd is down. The units stay as they were; the state says why.
    const failed: UpsData = {
      upsc: { ok: false, error: { code: "COMMAND_FAILED", message: "upsc -l exited 1: Connection refused" } },
    };
    await publishEnvelopes(js, [envelope(2, t0 + 120_000, failed)]);
    await waitFor(
      "the failed listing",
      async () => {
        const [s] = await sql`SELECT upsc_status FROM ups_state`;
        return s?.upsc_status === "failed";
      },
      60_000,
    );
    const [state] = await sql`SELECT upsc_error FROM ups_state`;
    expect(state?.upsc_error).toBe("COMMAND_FAILED: upsc -l exited 1: Connection refused");
    const [kept] = await sql`SELECT count(*)::int AS n FROM ups_devices`;
    expect(kept?.n).toBe(3);

    // Newer still: one unit left the rack; the others follow it.
    const fewer: UpsData = {
      upsc: sample.upsc.ok ? { ok: true, value: sample.upsc.value.slice(0, 2) } : failed.upsc,
    };
    await publishEnvelopes(js, [envelope(3, t0 + 180_000, fewer)]);
    await waitFor(
      "two units",
      async () => {
        const [n] = await sql`SELECT count(*)::int AS n FROM ups_devices`;
        return n?.n === 2;
      },
      60_000,
    );

    // A replay of the first envelope: the newer state stands, its rows are already stored.
    await publishEnvelopes(js, [envelope(0, t0 + 60_000, sample)]);
    await waitFor("an empty backlog", () => pipeline.collector.drained(), 60_000);
    const [after] = await sql`SELECT collected_at, upsc_status FROM ups_state`;
    expect(after?.collected_at.getTime()).toBe(t0 + 180_000);
    const [n] = await sql`SELECT count(*)::int AS n FROM ups_devices`;
    expect(n?.n).toBe(2);
    const [rows] = await sql`SELECT count(*)::int AS n FROM ups_metrics`;
    expect(rows?.n).toBe(5);
  }, 120_000);
});
