import { afterAll, beforeAll, expect, test } from "bun:test";
import { createInventoryCollector } from "@infrastructor/domains/inventory/agent/index.ts";
import { createNetworkCollector } from "@infrastructor/domains/network/agent/index.ts";
import { type SshFixture, startSshFixture } from "@infrastructor/lib/testing/ssh-fixture.ts";
import { LocalExecutor } from "../local-executor.ts";
import { SshExecutor } from "./ssh-executor.ts";
import type { SshPool } from "./ssh-pool.ts";

// The point of the Executor seam: an agent collector runs unchanged over SSH. sshd is on this machine,
// so both executors look at the same host and must report the same thing.
let fx: SshFixture;
let pool: SshPool;
let ssh: SshExecutor;
const local = new LocalExecutor();

beforeAll(async () => {
  fx = await startSshFixture();
  pool = fx.pool();
  ssh = new SshExecutor(pool, fx.target);
});

afterAll(async () => {
  await fx.destroy();
});

test("the inventory collector gives the same inventory over SSH as locally", async () => {
  const [remote, here] = await Promise.all([
    createInventoryCollector({ executor: ssh }).collect(),
    createInventoryCollector({ executor: local }).collect(),
  ]);
  expect(remote.errors).toEqual(here.errors);
  expect(remote.data).not.toBeNull();
  expect(remote.data?.kernel).toBe(here.data?.kernel ?? "unexpected");
  expect(remote.data).toEqual(here.data);
});

test("the network collector gives the same interfaces, addresses and routes over SSH", async () => {
  const [remote, here] = await Promise.all([
    createNetworkCollector({ executor: ssh }).collect(),
    createNetworkCollector({ executor: local }).collect(),
  ]);
  expect(remote.data).not.toBeNull();
  // Counters and neighbour states move between two reads; names, routes, DNS and which sources failed
  // (with which code) must not.
  const shape = (r: typeof remote) => {
    const d = r.data;
    return {
      errors: r.errors.map((e) => e.code).sort(),
      sources:
        d === null
          ? null
          : Object.entries(d).map(([k, v]) => [k, v === null ? null : v.ok ? "ok" : v.error.code]),
      // Container tests elsewhere add and remove veth/podman interfaces between the two reads.
      interfaces: d?.interfaces.ok
        ? d.interfaces.value
            .map((i) => i.name)
            .filter((n) => !/^(veth|podman|cni|br-)/.test(n))
            .sort()
        : null,
      routes: d?.routes.ok ? d.routes.value : null,
      dns: d?.dns.ok ? d.dns.value : null,
    };
  };
  expect(shape(remote)).toEqual(shape(here));
  expect(shape(remote).interfaces?.length ?? 0).toBeGreaterThan(0);
  expect(shape(remote).routes).not.toBeNull();
  // Every command went over the one pooled connection.
  expect(pool.stats().connectsTotal).toBe(1);
});
