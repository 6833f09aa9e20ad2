import { expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { losesRowsOnConflict, PINNED_VERSION } from "./timescaledb-version.ts";

const repo = resolve(import.meta.dir, "../..");

/** Every file that names a TimescaleDB image: compose, the READMEs, docs/. */
async function files(): Promise<string[]> {
  const docs = (await readdir(join(repo, "docs")))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join("docs", f));
  return ["docker-compose.yaml", "README.md", "deploy/README.md", "sql/README.md", ...docs];
}

test("compose and every doc pin the same TimescaleDB image, one without the silent row loss (#7672)", async () => {
  const found: [string, string][] = [];
  for (const file of await files()) {
    const text = await readFile(join(repo, file), "utf8");
    for (const m of text.matchAll(/timescale\/timescaledb(?:-ha)?:([\w.-]+)/g))
      found.push([file, m[1] ?? ""]);
  }
  expect(found.filter(([file]) => file === "docker-compose.yaml")).toHaveLength(1);
  expect(found.filter(([file]) => file.endsWith(".md")).length).toBeGreaterThan(0);
  for (const [file, tag] of found) {
    const version = tag.replace(/-pg\d+$/, "");
    expect([file, tag]).toEqual([file, `${PINNED_VERSION}-pg16`]);
    expect([file, losesRowsOnConflict(version)]).toEqual([file, false]);
  }
});
