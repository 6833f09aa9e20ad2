import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type CollectorProcess, TEST_API_TOKEN } from "@infrastructor/lib/testing/collector-process.ts";
import { systemData, systemEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes, publishRaw } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { JetStreamClient } from "nats";
import type { Sql } from "postgres";

let pipeline: Pipeline;
let collector: CollectorProcess;
let js: JetStreamClient;
let sql: Sql;
const t0 = Date.now() - 3_600_000;

beforeAll(async () => {
  pipeline = await startPipeline({ INGEST_MAX_MESSAGE_BYTES: "64KiB", ROLLUP_REFRESH_INTERVAL: "1s" });
  ({ collector, js, sql } = pipeline);
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

const count = async (query: string): Promise<number> => Number((await sql.unsafe(query))[0]?.n);

describe("agent envelopes through NATS into the database", () => {
  test("rows appear with the values that were sent", async () => {
    const envelopes = [0, 1, 2, 3, 4].map((i) => systemEnvelope("web1", i, t0 + i * 15_000));
    await publishEnvelopes(js, envelopes);
    await waitFor(
      "5 system rows",
      async () => (await count("SELECT count(*) AS n FROM system_metrics")) === 5,
    );

    const sent = systemData(2);
    const [row] = await sql`
      SELECT m.* FROM system_metrics m JOIN devices d ON d.id = m.device_id
      WHERE d.hostname = 'web1' AND m.time = ${new Date(t0 + 30_000)}`;
    expect(row?.cpu_pct).toBeCloseTo(sent.cpu?.usage_pct ?? -1, 3);
    expect(Number(row?.mem_used_bytes)).toBe(sent.memory.used_bytes);
    expect(row?.load_1).toBeCloseTo(sent.load.load_1, 3);
    expect(row?.process_count).toBe(sent.process_count);

    expect(await count("SELECT count(*) AS n FROM disk_usage")).toBe(5 * 3);
    expect(await count("SELECT count(*) AS n FROM disk_io")).toBe(5 * 2);
    expect(await count("SELECT count(*) AS n FROM network_io")).toBe(5 * 2);
    expect(await count("SELECT count(*) AS n FROM temperatures")).toBe(5 * 3);
    const mounts = await sql`SELECT DISTINCT mountpoint FROM disk_usage ORDER BY 1`;
    expect(mounts.map((m) => m.mountpoint)).toEqual(["/", "/boot", "/srv"]);

    // latest_state follows the time-series commit (coalesced), and the acks wait for it
    const latest = await waitFor("latest_state at seq 4", async () => {
      const [row] = await sql`SELECT seq, collected_at, payload FROM latest_state WHERE domain = 'system'`;
      return row && Number(row.seq) === 4 ? row : undefined;
    });
    expect(Number(latest.seq)).toBe(4);
    expect(latest.payload.memory.used_bytes).toBe(systemData(4).memory.used_bytes);
    const [device] =
      await sql`SELECT first_seen, last_seen, agent_version FROM devices WHERE hostname = 'web1'`;
    expect(device?.first_seen.getTime()).toBe(t0);
    expect(device?.last_seen.getTime()).toBe(t0 + 60_000);
    expect(device?.agent_version).toBe("0.1.0-test");
  });

  test("a failed collection (data null) records its errors and keeps the last good payload", async () => {
    const failed = {
      ...systemEnvelope("web1", 5, t0 + 70_000),
      data: null,
      errors: [{ code: "READ_FAILED", message: "/proc/stat: permission denied", source: "system" }],
    };
    await publishEnvelopes(js, [failed]);
    const state = await waitFor("the failure in latest_state", async () => {
      const [row] = await sql`SELECT * FROM latest_state WHERE domain = 'system'`;
      return row?.status === "failed" ? row : undefined;
    });
    expect(state.errors[0].code).toBe("READ_FAILED");
    expect(state.status_at.getTime()).toBe(t0 + 70_000);
    expect(state.collected_at.getTime()).toBe(t0 + 60_000);
    expect(state.payload.memory.used_bytes).toBe(systemData(4).memory.used_bytes);
    expect(await count("SELECT count(*) AS n FROM system_metrics")).toBe(5);
  });

  test("an unavailable domain is stored as such, with its reason, and an older replay cannot undo it", async () => {
    const unavailable = {
      ...systemEnvelope("web3", 0, t0 + 10_000),
      data: null,
      unavailable: { code: "COMMAND_MISSING", reason: "no /proc here" },
    };
    await publishEnvelopes(js, [unavailable, systemEnvelope("web3", 1, t0)]);
    const state = await waitFor("web3's status", async () => {
      const [row] = await sql`
        SELECT l.* FROM latest_state l JOIN devices d ON d.id = l.device_id WHERE d.hostname = 'web3'`;
      return row?.status === "unavailable" && Number(row.seq) === 0 ? row : undefined;
    });
    expect(state.errors[0]).toMatchObject({ code: "COMMAND_MISSING", message: "no /proc here" });
    // The older sample (seq 1, collected before) is stored as history but is not the latest state.
    await waitFor("web3's sample in history", async () => {
      const [n] = await sql`
        SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id WHERE d.hostname = 'web3'`;
      return n?.n === 1;
    });
    const [after] = await sql`
      SELECT l.status FROM latest_state l JOIN devices d ON d.id = l.device_id WHERE d.hostname = 'web3'`;
    expect(after?.status).toBe("unavailable");
  });

  test("the same samples published again (new message ids) add no row", async () => {
    const web1 = (table: string): Promise<number> =>
      count(
        `SELECT count(*) AS n FROM ${table} t JOIN devices d ON d.id = t.device_id WHERE d.hostname = 'web1'`,
      );
    const before = await web1("disk_usage");
    const again = [0, 1, 2, 3, 4].map((i) => systemEnvelope("web1", i, t0 + i * 15_000, "other-boot"));
    await publishEnvelopes(js, [...again, systemEnvelope("web1", 6, t0 + 75_000)]);
    await waitFor("the new sample", async () => (await web1("system_metrics")) === 6);
    await waitFor("an empty backlog", () => collector.drained());
    expect(await web1("system_metrics")).toBe(6);
    expect(await web1("disk_usage")).toBe(before + 3);
    const metrics = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();
    expect(metrics).toMatch(/infra_ingest_rows_total\{mode="merge"\} [1-9]/);
  });

  test("malformed, wrong-schema, oversized and spoofed messages land in ingest_rejects; good ones keep flowing", async () => {
    const good = systemEnvelope("web2", 0, t0);
    await publishRaw(js, "infra.v1.web2.system", "{this is not json");
    await publishEnvelopes(js, [good]);
    await publishRaw(js, "infra.v1.web2.system", JSON.stringify({ ...good, seq: 1, data: { load: "high" } }));
    await publishRaw(js, "infra.v1.web2.system", new Uint8Array(100 * 1024).fill(32));
    await publishRaw(
      js,
      "infra.v1.web2.system",
      JSON.stringify({ ...systemEnvelope("web1", 99, t0), seq: 2 }),
    );
    await publishEnvelopes(js, [systemEnvelope("web2", 3, t0 + 15_000)]);

    const rejects = await waitFor("4 rejects", async () => {
      const rows = await sql`SELECT reason, detail, subject, payload_bytes FROM ingest_rejects ORDER BY id`;
      return rows.length === 4 ? rows : undefined;
    });
    expect(rejects.map((r) => r.reason)).toEqual([
      "malformed_json",
      "invalid_data",
      "oversized",
      "spoofed_host",
    ]);
    expect(rejects[2]?.payload_bytes).toBe(100 * 1024);
    expect(rejects[3]?.detail).toContain("web1");
    await waitFor("both good web2 samples", async () => {
      const [n] =
        await sql`SELECT count(*)::int AS n FROM system_metrics m JOIN devices d ON d.id = m.device_id WHERE d.hostname = 'web2'`;
      return n?.n === 2;
    });
    // Counted when the batch is acked, which follows the latest-state write (up to a second later).
    const metrics = await waitFor("the rejects in /metrics", async () => {
      const text = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();
      return text.includes('infra_ingest_rejects_total{reason="spoofed_host"}') ? text : undefined;
    });
    expect(metrics).toContain('infra_ingest_rejects_total{reason="spoofed_host"} 1');
    expect(metrics).toContain('infra_ingest_rejects_total{reason="oversized"} 1');
    expect(metrics).toContain('infra_ingest_rejects_total{reason="malformed_json"} 1');
  });
});

describe("rollups on plain PostgreSQL", () => {
  test("the collector keeps system_metrics_hourly and _daily in step with the raw rows", async () => {
    const rollup = async (table: string) =>
      (
        await sql.unsafe(`
          SELECT sum(r.samples)::int AS samples, max(r.mem_used_bytes_max)::float8 AS mem_max
          FROM ${table} r JOIN devices d ON d.id = r.device_id WHERE d.hostname = 'web1'`)
      )[0];
    const [raw] = await sql`
      SELECT count(*)::int AS samples, max(mem_used_bytes)::float8 AS mem_max
      FROM system_metrics m JOIN devices d ON d.id = m.device_id WHERE d.hostname = 'web1'`;
    for (const table of ["system_metrics_hourly", "system_metrics_daily"]) {
      const got = await waitFor(
        `${table} to catch up`,
        async () => {
          const r = await rollup(table);
          return r?.samples === raw?.samples ? r : undefined;
        },
        15_000,
        250,
      );
      expect(got?.mem_max).toBe(raw?.mem_max);
    }
  });
});

describe("HTTP API", () => {
  const api = (path: string, token?: string) =>
    fetch(
      `http://127.0.0.1:${collector.port}${path}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  test("/api needs the bearer token", async () => {
    expect((await api("/api/devices")).status).toBe(401);
    expect((await api("/api/devices", "wrong-token-wrong-token")).status).toBe(401);
    const res = await api("/api/devices", TEST_API_TOKEN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { devices: { hostname: string; last_seen: string }[] };
    expect(body.devices.map((d) => d.hostname)).toEqual(["web1", "web2", "web3"]);
  });

  test("/api/devices/:id gives the latest system state by hostname or id", async () => {
    const res = await api("/api/devices/web1", TEST_API_TOKEN);
    const body = (await res.json()) as {
      device: { id: number };
      system: { data: { cpu: unknown }; age_s: number };
    };
    expect(res.status).toBe(200);
    expect(body.system.data.cpu).toBeDefined();
    expect(body.system.age_s).toBeGreaterThan(3000);
    const byId = await api(`/api/devices/${body.device.id}`, TEST_API_TOKEN);
    expect(((await byId.json()) as { device: { id: number } }).device.id).toBe(body.device.id);
    expect((await api("/api/devices/nosuchhost", TEST_API_TOKEN)).status).toBe(404);
    const bad = await api("/api/devices/Bad!Name", TEST_API_TOKEN);
    expect([bad.status, ((await bad.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      "INVALID_ARGUMENT",
    ]);
  });

  test("/health reports database, NATS and the consumer backlog", async () => {
    const { status, body } = await collector.health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, nats: { ok: true } });
    expect(body.consumer).toMatchObject({ pending: 0 });
  });
});
