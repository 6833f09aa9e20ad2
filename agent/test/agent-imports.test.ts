import { expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/**
 * The compiled agent carries only the agent halves of the domains: no server half, no test support
 * (a domain's testing/ folders), no database driver, no MCP SDK, no SSH client. Biome's
 * noRestrictedImports stops a direct import in agent code (biome.json); this follows every import the
 * bundler follows, so an indirect one is caught too.
 */
const repo = join(import.meta.dir, "../..");
const FORBIDDEN: readonly RegExp[] = [
  /^shared\/domains\/[^/]+\/server\//,
  /^shared\/domains\/[^/]+\/(agent|server)\/testing\//,
  /^shared\/domains\/(server|server-domain)\.ts$/,
  /^(collector|mcp|infra)\//,
  /^shared\/lib\/(db|testing)\//,
  /^shared\/lib\/exec\/ssh\//,
  /node_modules\/(postgres|kysely|kysely-postgres-js|@modelcontextprotocol|ssh2|hono|@hono)\//,
];

async function forbiddenInputs(entry: string): Promise<string[]> {
  const build = await Bun.build({ entrypoints: [entry], target: "bun", metafile: true });
  if (!build.success) throw new Error(build.logs.join("\n"));
  const inputs = Object.keys(build.metafile?.inputs ?? {}).map((p) => relative(repo, join(repo, p)));
  if (inputs.length === 0) throw new Error("the bundler reported no inputs");
  return inputs.filter((input) => FORBIDDEN.some((pattern) => pattern.test(input)));
}

test("the agent's bundle holds no server half, database driver, MCP SDK or SSH client", async () => {
  expect(await forbiddenInputs(join(repo, "agent/src/main.ts"))).toEqual([]);
}, 120_000);

test("the check sees a server half reached through an innocent-looking module", async () => {
  const dir = await mkdtemp(join(repo, "agent/test/.imports-"));
  try {
    await writeFile(
      join(dir, "indirect.ts"),
      'export { zfsServer } from "../../../shared/domains/zfs/server/zfs-server.ts";\n',
    );
    await writeFile(
      join(dir, "entry.ts"),
      'import { zfsServer } from "./indirect.ts";\nconsole.log(zfsServer);\n',
    );
    const found = await forbiddenInputs(join(dir, "entry.ts"));
    expect(found).toContain("shared/domains/zfs/server/zfs-server.ts");
    // Its MCP tools bring the SDK-facing code and the query builder with them.
    expect(found.some((input) => input.startsWith("mcp/src/"))).toBe(true);
    expect(found.some((input) => input.includes("node_modules/kysely/"))).toBe(true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
