import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@infrastructor/agent/config.ts";
import { ErrorCode } from "@infrastructor/shared/errors.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "backups-options-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configWith(backups: unknown): Promise<string> {
  const path = join(dir, `agent-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify({ host: "nas1", domains: { backups } }));
  return path;
}

test("probes come from the agent's config file, defaults filled in", async () => {
  const configPath = await configWith({
    probes: [
      { kind: "restic", name: "r", max_age_h: 26, repository: "/mnt/r", password_file: "/etc/r.pw" },
      { kind: "path", name: "dump", max_age_h: 25, path: "/srv/dump.sql.gz" },
    ],
  });
  const options = loadConfig({ configPath, env: {} }).domains.backups.options as Record<string, unknown>;
  expect(options.timeout_s).toBe(120);
  expect(options.probes).toEqual([
    {
      kind: "restic",
      name: "r",
      max_age_h: 26,
      repository: "/mnt/r",
      password_file: "/etc/r.pw",
      restic_path: "restic",
    },
    { kind: "path", name: "dump", max_age_h: 25, path: "/srv/dump.sql.gz" },
  ]);
});

test("no backups section: no probes (the domain reports itself unavailable)", async () => {
  const configPath = await configWith(undefined);
  expect(
    (loadConfig({ configPath, env: {} }).domains.backups.options as unknown as { probes: unknown[] }).probes,
  ).toEqual([]);
});

test("an inline password or two probes of one name stop the start with the key named", async () => {
  const inline = await configWith({
    probes: [
      { kind: "restic", name: "r", max_age_h: 1, repository: "/r", password_file: "/p", password: "x" },
    ],
  });
  expect(() => loadConfig({ configPath: inline, env: {} })).toThrow(
    expect.objectContaining({ code: ErrorCode.CONFIG_INVALID, message: expect.stringContaining("password") }),
  );
  const twice = await configWith({
    probes: [
      { kind: "path", name: "a", max_age_h: 1, path: "/x" },
      { kind: "path", name: "a", max_age_h: 1, path: "/y" },
    ],
  });
  expect(() => loadConfig({ configPath: twice, env: {} })).toThrow(/probe names must be unique/);
});
