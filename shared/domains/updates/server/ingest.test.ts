import { afterAll, beforeAll, expect, test } from "bun:test";
import { createUpdatesCollector } from "@infrastructor/domains/updates/agent/index.ts";
import { testdata } from "@infrastructor/domains/updates/agent/testing/captures.ts";
import { domainEnvelope } from "@infrastructor/lib/testing/envelopes.ts";
import { type Pipeline, startPipeline } from "@infrastructor/lib/testing/pipeline-servers.ts";
import { publishEnvelopes } from "@infrastructor/lib/testing/publish.ts";
import { ScriptedExecutor } from "@infrastructor/lib/testing/scripted-executor.ts";
import { waitFor } from "@infrastructor/lib/testing/wait.ts";
import type { Envelope } from "@infrastructor/shared/envelope.ts";

let pipeline: Pipeline;
const t0 = Date.now() - 3_600_000;
const APT = "env LC_ALL=C apt list --upgradable";

beforeAll(async () => {
  pipeline = await startPipeline();
}, 120_000);

afterAll(async () => {
  await pipeline?.destroy();
}, 60_000);

/** An envelope of what the real collector makes of `aptOutput` (a captured or handwritten listing). */
async function envelope(
  seq: number,
  atMs: number,
  apt: { exitCode: number; stdout?: string },
): Promise<Envelope> {
  const executor = new ScriptedExecutor({ "apt --version": { exitCode: 0 }, [APT]: apt });
  const result = await createUpdatesCollector({ executor, hostRoot: "/nonexistent" }).collect();
  return domainEnvelope("deb1", "updates", result.data, {
    seq,
    boot_id: "updates-boot",
    collected_at: new Date(atMs).toISOString(),
    errors: result.errors,
  });
}

const status = async (): Promise<Record<string, unknown> | undefined> =>
  (
    await pipeline.sql`SELECT s.* FROM update_status s JOIN devices d ON d.id = s.device_id WHERE d.hostname = 'deb1'`
  )[0];

test("listings become the device's package rows and counts; failures and replays keep the newest good state", async () => {
  const captured = await testdata("debian12-apt-list-upgradable/apt.txt");
  const expected = captured.split("\n").filter((l) => l.includes("[upgradable from:")).length;
  await publishEnvelopes(pipeline.js, [await envelope(0, t0, { exitCode: 0, stdout: captured })]);
  await waitFor("the first listing", async () => (await status())?.pending_count === expected, 60_000);
  const [bash] = await pipeline.sql`SELECT * FROM package_updates WHERE name = 'bash'`;
  expect(bash).toMatchObject({ arch: "amd64", repository: "oldstable", kind: "regular" });

  const security = await testdata("handwritten-apt-list-upgradable-security/apt.txt");
  await publishEnvelopes(pipeline.js, [await envelope(1, t0 + 60_000, { exitCode: 0, stdout: security })]);
  await waitFor("the second listing", async () => (await status())?.pending_count === 5, 60_000);
  expect(await status()).toMatchObject({
    manager: "apt",
    security_count: 4,
    reboot_required: "no",
    error_code: null,
  });
  const rows = await pipeline.sql`SELECT name, arch, kind FROM package_updates ORDER BY name, arch`;
  expect(rows.map((r) => `${r.name}:${r.arch}:${r.kind}`)).toEqual([
    "libc6:amd64:security",
    "libc6:i386:security",
    "libssl3:amd64:security",
    "openssl:amd64:security",
    "tzdata:all:regular",
  ]);

  // A failing listing: the error is recorded, the last good packages and counts stay.
  const failed = await envelope(2, t0 + 120_000, { exitCode: 100, stdout: "E: Could not open lock file\n" });
  // An older envelope replayed late must not bring back the first listing.
  const replay = await envelope(3, t0 + 30_000, { exitCode: 0, stdout: captured });
  await publishEnvelopes(pipeline.js, [failed, replay]);
  await waitFor("the failure", async () => (await status())?.error_code === "COMMAND_FAILED", 60_000);
  await waitFor("both counts rows of the good listings, plus the replay's", async () => {
    const [n] = await pipeline.sql`SELECT count(*)::int AS n FROM update_counts`;
    return n?.n === 3;
  });
  const after = await status();
  expect(after).toMatchObject({
    pending_count: 5,
    security_count: 4,
    error_message: "exit 100: E: Could not open lock file",
  });
  expect(after?.pending_checked_at).toEqual(new Date(t0 + 60_000));
  expect(after?.collected_at).toEqual(new Date(t0 + 120_000));
  const [packages] = await pipeline.sql`SELECT count(*)::int AS n FROM package_updates`;
  expect(packages?.n).toBe(5);
  const series =
    await pipeline.sql`SELECT time, pending_count, security_count FROM update_counts ORDER BY time`;
  expect(series.map((r) => [r.time.getTime() - t0, r.pending_count, r.security_count])).toEqual([
    [0, expected, 0],
    [30_000, expected, 0],
    [60_000, 5, 4],
  ]);
}, 120_000);

test("a listing with a line that cannot be read: the readable packages are stored, the item error rides in latest_state", async () => {
  const security = await testdata("handwritten-apt-list-upgradable-security/apt.txt");
  const garbled = security.replace(
    /^openssl\/.*$/m,
    "openssl/stable-security 3.0.15-1~deb12u1 amd64 [upgradable fr",
  );
  const executor = new ScriptedExecutor({
    "apt --version": { exitCode: 0 },
    [APT]: { exitCode: 0, stdout: garbled },
  });
  const result = await createUpdatesCollector({ executor, hostRoot: "/nonexistent" }).collect();
  const sent = domainEnvelope("deb2", "updates", result.data, {
    seq: 0,
    boot_id: "updates-boot-2",
    collected_at: new Date(t0).toISOString(),
    errors: result.errors,
  });
  await publishEnvelopes(pipeline.js, [sent]);
  const payload = async (): Promise<Record<string, unknown> | undefined> =>
    (
      await pipeline.sql`SELECT l.payload FROM latest_state l JOIN devices d ON d.id = l.device_id
        WHERE d.hostname = 'deb2' AND l.domain = 'updates'`
    )[0]?.payload;
  await waitFor("deb2's latest state", async () => (await payload()) !== undefined, 60_000);
  expect((await payload())?.pending).toMatchObject({
    ok: true,
    item_errors: [{ name: "openssl", error: { code: "PARSE_FAILED", line: 3 } }],
  });
  const rows =
    await pipeline.sql`SELECT p.name, p.arch FROM package_updates p JOIN devices d ON d.id = p.device_id
    WHERE d.hostname = 'deb2' ORDER BY p.name, p.arch`;
  expect(rows.map((r) => `${r.name}:${r.arch}`)).toEqual([
    "libc6:amd64",
    "libc6:i386",
    "libssl3:amd64",
    "tzdata:all",
  ]);
}, 120_000);
