import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { collectFixtureHost } from "@infrastructor/domains/vms/agent/testing/fixture-host.ts";
import type { VmsData } from "@infrastructor/domains/vms/schema.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
let sample: VmsData;
const t0 = Date.now() - 3_600_000;

function envelope(seq: number, collectedAtMs: number, data: VmsData): Envelope {
  return domainEnvelope("hv1", "vms", data, {
    seq,
    boot_id: "vms-test",
    collected_at: new Date(collectedAtMs).toISOString(),
  });
}

beforeAll(async () => {
  pipeline = await startPipeline();
  const { data } = await collectFixtureHost();
  if (data === null) throw new Error("no vms sample");
  sample = data;
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

describe("vms envelopes through NATS into vms, vm_sources and vm_metrics", () => {
  test("guests and usage are stored; a failed source keeps its guests; an older replay changes nothing", async () => {
    const { sql } = pipeline;
    const js = pipeline.js;
    await publishEnvelopes(js, [envelope(1, t0 + 60_000, sample)]);
    await waitFor(
      "vm_sources",
      async () => {
        const [n] = await sql`SELECT count(*)::int AS n FROM vm_sources`;
        return n?.n === 1;
      },
      60_000,
    );
    const guests = await sql`SELECT source, vm_id, state, cpu_pct FROM vms ORDER BY source, vm_id`;
    expect(guests.map((g) => `${g.source}/${g.vm_id}/${g.state}`)).toEqual([
      "libvirt/build_runner/stopped",
      "libvirt/db-primary/paused",
      "libvirt/old-backup/crashed",
      "libvirt/web01/running",
      "libvirt/win11.lab/suspended",
      "proxmox/100/running",
      "proxmox/101/stopped",
      "proxmox/200/running",
    ]);
    // web01: 30 s of CPU in 60 s on 2 vCPUs.
    expect(guests.find((g) => g.vm_id === "web01")?.cpu_pct).toBeCloseTo(25, 3);
    const metrics =
      await sql`SELECT source, vm_id, cpu_pct, memory_bytes FROM vm_metrics ORDER BY source, vm_id`;
    expect(metrics.map((m) => `${m.source}/${m.vm_id}`)).toEqual([
      "libvirt/web01",
      "proxmox/100",
      "proxmox/200",
    ]);
    expect(Number(metrics[1]?.memory_bytes)).toBe(3221225472);

    // Newer: libvirtd is down, Proxmox lost guest 200. libvirt's guests stay, Proxmox's follow.
    const proxmox = sample.proxmox?.ok ? sample.proxmox.value : [];
    const newer: VmsData = {
      libvirt: { ok: false, error: { code: "COMMAND_FAILED", message: "virsh exited 1: failed to connect" } },
      proxmox: { ok: true, value: proxmox.filter((g) => g.id !== "200") },
    };
    await publishEnvelopes(js, [envelope(2, t0 + 120_000, newer)]);
    await waitFor(
      "the failed libvirt",
      async () => {
        const [s] = await sql`SELECT libvirt_status FROM vm_sources`;
        return s?.libvirt_status === "failed";
      },
      60_000,
    );
    const [counts] = await sql`
      SELECT count(*) FILTER (WHERE source = 'libvirt')::int AS libvirt,
             count(*) FILTER (WHERE source = 'proxmox')::int AS proxmox FROM vms`;
    expect(counts).toEqual({ libvirt: 5, proxmox: 2 });

    await publishEnvelopes(js, [envelope(0, t0, sample)]);
    await waitFor("an empty backlog", () => pipeline.collector.drained(), 60_000);
    const [after] = await sql`SELECT collected_at, proxmox_status FROM vm_sources`;
    expect(after?.collected_at.getTime()).toBe(t0 + 120_000);
    const [n] = await sql`SELECT count(*)::int AS n FROM vms WHERE source = 'proxmox'`;
    expect(n?.n).toBe(2);
  }, 120_000);
});
