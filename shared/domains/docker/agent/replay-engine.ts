import type { DockerResponse, Executor } from "@infrastructor/lib/exec/executor.ts";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { fixture } from "./testdata.ts";

/**
 * The Engine API of a host whose bodies are the telegraf captures: the list of five running containers,
 * inspect and stats of the two the captures have (acme, acme-test), HTTP 500 for the others' inspect.
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
  const local = new LocalExecutor();
  const executor: Executor = {
    kind: "local",
    run: (argv, options) => local.run(argv, options),
    readFile: (path, options) => local.readFile(path, options),
    listDir: (path) => local.listDir(path),
    statfs: (path) => local.statfs(path),
    async dockerGet(path): Promise<DockerResponse> {
      const body = bodies[path];
      return body === undefined
        ? { status: 500, body: '{"message":"inspect not replayed"}', truncated: false }
        : { status: 200, body, truncated: false };
    },
  };
  return executor;
}
