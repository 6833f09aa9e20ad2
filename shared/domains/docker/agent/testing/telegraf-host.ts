import type { Executor } from "@infrastructor/lib/exec/executor.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { fixture } from "./captures.ts";

/**
 * The Engine API of a host whose bodies are the telegraf captures: the list of five running containers,
 * inspect and stats of the two the captures have (acme, acme-test), HTTP 500 for the others' inspect;
 * commands and files are this machine's.
 * `damage` replaces bodies by path. No engine can be made to answer a garbled body, so this replays
 * one (tests only); the real engine's path is index.test.ts.
 */
export async function telegrafHost(damage: Partial<Record<string, string>> = {}): Promise<Executor> {
  const bodies: Record<string, string> = {
    "/containers/json?all=1": await fixture("telegraf-containers-list/containers.json"),
    "/networks": await fixture("handwritten-networks/networks.json"),
  };
  for (const id of ["9bc6", "e8a7"]) {
    const inspect = await fixture(`telegraf-${id}/inspect.json`);
    const full = (JSON.parse(inspect) as { Id: string }).Id;
    bodies[`/containers/${full}/json`] = inspect;
    bodies[`/containers/${full}/stats?stream=false`] = await fixture(`telegraf-${id}/stats.json`);
  }
  Object.assign(bodies, damage);
  return new ScriptedExecutor({}, { unscripted: "local", docker: bodies });
}
