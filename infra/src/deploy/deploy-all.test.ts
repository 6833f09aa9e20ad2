import { expect, test } from "bun:test";
import { deployAll } from "./deploy-all.ts";
import type { DeployResult } from "./deploy-result.ts";

test("never more than `concurrency` hosts at once, every host done, results in the order given", async () => {
  let running = 0;
  let peak = 0;
  const lines: string[] = [];
  const devices = Array.from({ length: 20 }, (_, i) => `h${i}`);
  const results = await deployAll(
    devices,
    3,
    async (device, progress): Promise<DeployResult> => {
      running += 1;
      peak = Math.max(peak, running);
      progress("installing");
      // Later hosts finish first: order must come from the input, not from completion.
      await Bun.sleep(20 - Number(device.slice(1)));
      running -= 1;
      const failed = device === "h7";
      return {
        host: device,
        arch: "linux-x64",
        before: null,
        after: failed ? null : "0.1.0 (x)",
        outcome: failed ? "failed" : "installed",
        reason: failed ? "HOST_UNREACHABLE: refused" : "",
        seconds: 0,
      };
    },
    { isTTY: false, write: (t) => lines.push(...t.trimEnd().split("\n")) },
  );
  expect(peak).toBe(3);
  expect(results.map((r) => r.host)).toEqual(devices);
  expect(lines.filter((l) => /^h\d+ +(done|failed)/.test(l))).toHaveLength(20);
  expect(lines).toContainEqual(expect.stringMatching(/^h7 +failed \d+s {2}HOST_UNREACHABLE: refused$/));
});
