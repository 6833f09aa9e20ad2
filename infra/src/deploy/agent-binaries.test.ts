import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@infrastructor/shared/errors.ts";
import { AgentBinaries, isStale } from "./agent-binaries.ts";

test("isStale: build when missing or older than a source", () => {
  expect(isStale(null, 0)).toBe(true);
  expect(isStale(1000, 2000)).toBe(true);
  expect(isStale(2000, 2000)).toBe(false);
  expect(isStale(3000, 2000)).toBe(false);
});

describe("AgentBinaries", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "infra-binaries-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("a prepared directory: the binary as it is, with its SHA-256; none built", async () => {
    const dist = join(dir, "dist");
    await mkdir(dist);
    await writeFile(join(dist, "infrastructor-agent-linux-x64"), "agent bytes");
    const binaries = new AgentBinaries({ distDir: dist, repoRoot: null });
    const found = await binaries.get("x64");
    expect(found).toEqual({
      arch: "x64",
      path: join(dist, "infrastructor-agent-linux-x64"),
      sha256: createHash("sha256").update("agent bytes").digest("hex"),
      built: false,
    });
    expect(await binaries.get("x64")).toBe(found); // once per run
  });

  test("a missing binary in a prepared directory is NOT_FOUND, naming the build command", async () => {
    const binaries = new AgentBinaries({ distDir: join(dir, "empty"), repoRoot: null });
    const err = await binaries.get("arm64").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("NOT_FOUND");
    expect((err as AppError).message).toContain("bun run build:agent arm64");
  });

  test("a checkout whose binary is newer than every source reuses it (nothing is compiled)", async () => {
    const root = join(dir, "repo");
    await mkdir(join(root, "agent/src"), { recursive: true });
    await mkdir(join(root, "dist"), { recursive: true });
    await writeFile(join(root, "agent/src/main.ts"), "source");
    await writeFile(join(root, "dist/infrastructor-agent-linux-x64"), "built");
    const past = new Date(Date.now() - 3600_000);
    await utimes(join(root, "agent/src/main.ts"), past, past);
    // agent/scripts/build.ts does not exist in this checkout: a build attempt would fail the test.
    const found = await new AgentBinaries({ distDir: join(root, "dist"), repoRoot: root }).get("x64");
    expect(found.built).toBe(false);
  });

  test("a stale binary is rebuilt; a failing build is COMMAND_FAILED with its output", async () => {
    const root = join(dir, "repo2");
    await mkdir(join(root, "agent/scripts"), { recursive: true });
    await mkdir(join(root, "dist"), { recursive: true });
    await writeFile(join(root, "dist/infrastructor-agent-linux-x64"), "old");
    const past = new Date(Date.now() - 3600_000);
    await utimes(join(root, "dist/infrastructor-agent-linux-x64"), past, past);
    await writeFile(
      join(root, "agent/scripts/build.ts"),
      'console.error("compiler broke"); process.exit(3);\n',
    );
    const err = await new AgentBinaries({ distDir: join(root, "dist"), repoRoot: root })
      .get("x64")
      .catch((e: unknown) => e);
    expect((err as AppError).code).toBe("COMMAND_FAILED");
    expect((err as AppError).message).toContain("compiler broke");

    await writeFile(
      join(root, "agent/scripts/build.ts"),
      'await Bun.write(import.meta.dir + "/../../dist/infrastructor-agent-linux-" + process.argv[2], "new");\n',
    );
    const found = await new AgentBinaries({ distDir: join(root, "dist"), repoRoot: root }).get("x64");
    expect(found.built).toBe(true);
    expect(found.sha256).toBe(createHash("sha256").update("new").digest("hex"));
  });
});
