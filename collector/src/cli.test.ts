import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import postgres from "postgres";
import { runMigrations } from "../../sql/src/migrate.ts";
import { main } from "./cli.ts";

let pg: Awaited<ReturnType<typeof startTestPostgres>>;

beforeAll(async () => {
  pg = await startTestPostgres();
  const sql = postgres(pg.url, { max: 1, onnotice: () => undefined });
  const migrated = await runMigrations(sql, { flavor: "postgres" });
  await sql.end();
  if (migrated.error) throw migrated.error;
}, 120_000);

afterAll(async () => {
  await pg?.destroy();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { DATABASE_URL: pg.url },
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out, err };
}

test("enroll-token create prints the token once; list shows it without the secret; revoke marks it", async () => {
  const created = await cli(
    "enroll-token",
    "create",
    "--ttl",
    "2h",
    "--uses",
    "3",
    "--host",
    "nas",
    "--note",
    "rack",
  );
  expect(created.code).toBe(0);
  const token = created.out[0] ?? "";
  expect(token).toMatch(/^ie_[A-Za-z0-9_-]{43}$/);
  expect(created.err[0]).toMatch(/^token \d+ {2}usable {2}0\/3 used {2}expires .* {2}host nas {2}"rack"$/);
  const listed = await cli("enroll-token", "list");
  expect(listed.out.join("\n")).toContain("usable");
  expect(listed.out.join("\n")).not.toContain(token);
  const id = /^token (\d+)/.exec(created.err[0] ?? "")?.[1] ?? "";
  const revoked = await cli("enroll-token", "revoke", id);
  expect(revoked.out[0]).toContain("revoked");
});

test("usage errors exit 2, refusals exit 1 with a code", async () => {
  expect((await cli("enroll-token", "create", "--ttl", "soon")).code).toBe(2);
  expect((await cli("enroll-token", "create", "--bogus")).code).toBe(2);
  expect((await cli("tokens")).code).toBe(2);
  // A token is for one host unless any host is asked for explicitly; never both.
  const unbound = await cli("enroll-token", "create");
  expect(unbound.code).toBe(2);
  expect(unbound.err.join("\n")).toContain("--host NAME");
  expect((await cli("enroll-token", "create", "--host", "a", "--any-host")).code).toBe(2);
  const any = await cli("enroll-token", "create", "--any-host");
  expect(any.code).toBe(0);
  expect(any.err[0]).toContain("host any");
  const bad = await cli("enroll-token", "create", "--uses", "0", "--any-host");
  expect(bad.code).toBe(1);
  expect(bad.err[0]).toContain("INVALID_ARGUMENT");
  const missing = await cli("enroll-token", "revoke", "424242");
  expect(missing).toMatchObject({ code: 1, err: ["NOT_FOUND: no enrollment token 424242"] });
});
