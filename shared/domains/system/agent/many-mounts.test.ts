import { afterAll, beforeAll, expect, test } from "bun:test";
import { appendFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { LocalExecutor } from "@infrastructor/lib/exec/local-executor.ts";
import { SystemDataSchema } from "../schema.ts";
import { createSystemCollector } from "./index.ts";
import { buildFakeRoot, type FakeRoot } from "./testing/fake-root.ts";

/**
 * Issue 12 item 4, system side: a local user can add FUSE mounts (fusermount allows 1,000 by default,
 * more where mount_max is raised). Over the limit, the sample keeps the first 1,000 and states the rest
 * in `truncated` instead of growing without bound.
 */
let root: FakeRoot;
const USER_MOUNTS = 1_200;

beforeAll(async () => {
  root = await buildFakeRoot();
  const lines: string[] = [];
  for (let i = 0; i < USER_MOUNTS; i++) {
    await mkdir(join(root.hostRoot, "home/eve/m", String(i)), { recursive: true });
    lines.push(`sshfs#eve@nas:/x${i} /home/eve/m/${i} fuse.sshfs rw,nosuid,nodev,user_id=1000 0 0`);
  }
  await appendFile(join(root.procRoot, "self/mounts"), `${lines.join("\n")}\n`);
});
afterAll(async () => {
  await rm(root.dir, { recursive: true, force: true });
});

test("1,200 user FUSE mounts: the first 1,000 are sent, the rest counted in `truncated`", async () => {
  const collector = createSystemCollector({
    executor: new LocalExecutor(),
    procRoot: root.procRoot,
    sysRoot: root.sysRoot,
    hostRoot: root.hostRoot,
  });
  const { data } = await collector.collect();
  const sample = SystemDataSchema.parse(data);
  expect(sample.mounts).toHaveLength(1_000);
  // The fake root's own reachable mounts come first; every user mount past the limit is counted.
  const total = 1_000 + (sample.truncated?.mounts ?? 0);
  expect(total).toBeGreaterThanOrEqual(USER_MOUNTS);
  expect(sample.truncated?.mounts).toBeGreaterThan(0);
}, 120_000);
