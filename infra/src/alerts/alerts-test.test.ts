import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HttpReceiver, startHttpReceiver } from "@infrastructor/lib/testing/http-receiver.ts";
import { main } from "../main.ts";

let dir: string;
let receiver: HttpReceiver;
const SECRET = "hook-secret-7f3a";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-alerts-"));
  receiver = startHttpReceiver();
  const urlFile = join(dir, "hook.url");
  await writeFile(urlFile, `webhook+http://alerts:${SECRET}@${receiver.url.slice("http://".length)}/infra\n`);
  await chmod(urlFile, 0o600);
  await writeFile(
    join(dir, "alerts.yaml"),
    `channels:\n  - name: hook\n    url_file: ${urlFile}\n  - name: other\n    url_env: OTHER_URL\n`,
  );
});

afterAll(async () => {
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ["alerts", ...args],
    { ALERTS_CONFIG: join(dir, "alerts.yaml"), ...env },
    {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      progress: { isTTY: false, write: () => {} },
    },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("infra alerts test <channel>", () => {
  test("sends one test message through the named channel; prints only its redacted URL", async () => {
    const r = await run(["test", "hook"]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toStartWith("sent a test message to hook (webhook+http://");
    expect(r.out).not.toContain(SECRET);
    expect(receiver.requests).toHaveLength(1);
    const body = JSON.parse(receiver.requests[0]?.body ?? "{}");
    expect(body).toMatchObject({
      kind: "test",
      severity: "info",
      title: "[TEST] Infrastructor alerts reach hook",
    });
    expect(receiver.requests[0]?.path).toBe("/infra");
  });

  test("a channel that fails: exit 1 with why, never the secret", async () => {
    receiver.reply(() => new Response(`bad token ${SECRET}`, { status: 401 }));
    const r = await run(["test", "hook"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^COMMAND_FAILED: hook \(webhook\+http:\/\/.*\): .*401.*\(it will not work as configured\)/,
    );
    expect(r.err).not.toContain(SECRET);
  });

  test("an unknown channel names the known ones; a missing variable is a configuration error; bad usage exits 2", async () => {
    expect(await run(["test", "pager"])).toMatchObject({
      code: 1,
      err: expect.stringContaining("NOT_FOUND: no channel pager in") as unknown as string,
    });
    expect((await run(["test", "pager"])).err).toContain("(channels: hook, other)");
    const missing = await run(["test", "other"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^CONFIG_INVALID: .*OTHER_URL/);
    expect((await run(["test"])).code).toBe(2);
    expect(
      await main(
        ["alerts", "test", "hook"],
        {},
        { out: () => {}, err: () => {}, progress: { isTTY: false, write: () => {} } },
      ),
    ).toBe(2);
  });
});
