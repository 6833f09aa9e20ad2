import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectDatabase } from "@infrastructor/lib/db/connect.ts";
import { startTestPostgres } from "@infrastructor/lib/testing/servers.ts";
import type { Hono } from "hono";
import { Registry } from "prom-client";
import { runMigrations } from "../../../../sql/src/migrate.ts";
import type { HostCredentialIssuer } from "../../enroll/host-credential-issuer.ts";
import { createLogger } from "../../logger.ts";
import { createApp } from "../app.ts";

/** POST /api/enroll and /api/enroll-tokens through the real app on a real PostgreSQL. */
const API_TOKEN = "enroll-test-api-token-0123";
let pg: Awaited<ReturnType<typeof startTestPostgres>>;
let handles: ReturnType<typeof connectDatabase>;
let distDir: string;
let app: Hono;
let plainApp: Hono;
const issued: string[] = [];

/** A stand-in for the per-host NATS credential issuer: distinct text per host, and a failure on request. */
const issuer: HostCredentialIssuer = {
  async issue(hostname: string): Promise<{ creds: string }> {
    if (hostname === "issuer-fails") throw new Error("signing key unavailable");
    issued.push(hostname);
    return { creds: `-----BEGIN NATS USER JWT-----\njwt-of-${hostname}\n------END NATS USER JWT------\n` };
  },
};

function makeApp(withIssuer: boolean): Hono {
  return createApp({
    db: handles.db,
    apiToken: API_TOKEN,
    registry: new Registry(),
    health: async () => ({ status: "ok", database: { ok: true }, nats: { ok: true }, consumer: null }),
    refreshMetrics: async () => undefined,
    log: createLogger("silent"),
    mcp: null,
    enroll: {
      settings: {
        natsUrl: "nats://hub.lan:4222",
        natsToken: null,
        issuer: withIssuer ? issuer : null,
      },
      distDir,
      publicUrl: withIssuer ? "http://hub.lan:9101" : null,
      // app.request has no client address: every request here is the same client (see rate-limit.test.ts).
      rateLimits: { perClientPerMin: 100_000, globalPerMin: 100_000 },
      pin: null,
    },
  });
}

beforeAll(async () => {
  pg = await startTestPostgres();
  handles = connectDatabase(pg.url, 4, () => undefined);
  const migrated = await runMigrations(handles.sql, { flavor: "postgres" });
  if (migrated.error) throw migrated.error;
  distDir = await mkdtemp(join(tmpdir(), "infra-dist-"));
  app = makeApp(true);
  plainApp = makeApp(false);
}, 120_000);

afterAll(async () => {
  await handles?.close();
  await pg?.destroy();
  await rm(distDir, { recursive: true, force: true });
});

const auth = { Authorization: `Bearer ${API_TOKEN}`, "Content-Type": "application/json" };

/** A token for `body.host`, or for any host (asked for explicitly) when no host is given. */
async function newToken(body: Record<string, unknown> = {}, target: Hono = app): Promise<string> {
  const res = await target.request("/api/enroll-tokens", {
    method: "POST",
    headers: auth,
    body: JSON.stringify(body.host === undefined ? { any_host: true, ...body } : body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

function enroll(
  token: string,
  facts: Record<string, unknown> = {},
  target: Hono = app,
  accept = "application/json",
): Promise<Response> {
  return Promise.resolve(
    target.request("/api/enroll", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: accept },
      body: JSON.stringify({ token, hostname: "pi4.home.lan", arch: "arm64", os: "debian", ...facts }),
    }),
  );
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describe("POST /api/enroll", () => {
  test("a good token gives the host's config and its own credentials; the token is then used up", async () => {
    const token = await newToken({ note: "pi4" });
    const res = await enroll(token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      host: "pi4",
      config: {
        host: "pi4",
        nats: { url: "nats://hub.lan:4222", creds_file: "/etc/infrastructor/agent.creds" },
      },
      nats: { auth: "creds" },
    });
    expect(body.creds).toContain("jwt-of-pi4");
    const again = await errorOf(await enroll(token));
    expect(again).toMatchObject({ status: 409, code: "ENROLL_TOKEN_USED" });
    expect(again.message).toContain("already used");
    expect(again.message).not.toContain("pi4"); // no oracle: a refusal never says which host used it
  });

  test("each host gets distinct credentials from a multi-use token", async () => {
    const token = await newToken({ max_uses: 2 });
    const a = (await (await enroll(token, { hostname: "web-1" })).json()) as { creds: string };
    const b = (await (await enroll(token, { hostname: "web-2" })).json()) as { creds: string };
    expect(a.creds).toContain("jwt-of-web-1");
    expect(b.creds).toContain("jwt-of-web-2");
    expect((await errorOf(await enroll(token, { hostname: "web-3" }))).code).toBe("ENROLL_TOKEN_USED");
  });

  test("a wrong token is refused with 401 and uses nothing", async () => {
    const wrong = `ie_${"A".repeat(43)}`;
    expect(await errorOf(await enroll(wrong))).toMatchObject({ status: 401, code: "ENROLL_TOKEN_INVALID" });
    expect((await errorOf(await enroll("not-a-token"))).code).toBe("ENROLL_TOKEN_INVALID");
  });

  test("an expired token is refused with 410", async () => {
    const token = await newToken({ ttl: "1m" });
    await handles.sql`UPDATE enrollment_tokens SET expires_at = now() - interval '1 second'
      WHERE token_sha256 = ${createHash("sha256").update(token).digest("hex")}`;
    const refused = await errorOf(await enroll(token));
    expect(refused).toMatchObject({ status: 410, code: "ENROLL_TOKEN_EXPIRED" });
    expect(refused.message).toMatch(/expired at .*create a new one/);
  });

  test("a revoked token is refused with 403; a token bound to a host refuses another host", async () => {
    const token = await newToken({ max_uses: 5 });
    const list = (await (await app.request("/api/enroll-tokens", { headers: auth })).json()) as {
      tokens: { id: number; state: string }[];
    };
    const id = list.tokens.at(-1)?.id;
    const revoked = await app.request(`/api/enroll-tokens/${id}`, { method: "DELETE", headers: auth });
    expect(((await revoked.json()) as { state: string }).state).toBe("revoked");
    expect(await errorOf(await enroll(token))).toMatchObject({ status: 403, code: "ENROLL_TOKEN_REVOKED" });

    const bound = await newToken({ host: "nas" });
    const wrong = await errorOf(await enroll(bound));
    expect(wrong).toMatchObject({ status: 403, code: "ENROLL_TOKEN_WRONG_HOST" });
    expect(wrong.message).not.toContain("nas");
    expect((await enroll(bound, { hostname: "NAS" })).status).toBe(200);
  });

  test("two concurrent enrollments with one single-use token: exactly one succeeds", async () => {
    const token = await newToken();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => enroll(token, { hostname: `race-${i}` })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const [row] = await handles.sql`SELECT uses FROM enrollment_tokens
      WHERE token_sha256 = ${createHash("sha256").update(token).digest("hex")}`;
    expect(row?.uses).toBe(1);
  });

  test("bad host facts are refused before the token is touched; an issuer failure gives the use back", async () => {
    const token = await newToken();
    const bad = await errorOf(await enroll(token, { arch: "mips" }));
    expect(bad).toMatchObject({ status: 400, code: "INVALID_ARGUMENT" });
    expect(bad.message).toContain("arch");
    expect((await errorOf(await enroll(token, { hostname: "-dash.lan" }))).code).toBe("INVALID_ARGUMENT");
    expect((await errorOf(await enroll(token, { extra: 1 }))).message).toContain("unknown field(s) extra");
    const failed = await errorOf(await enroll(token, { hostname: "issuer-fails" }));
    expect(failed.status).toBe(500);
    expect(failed.message).toContain("cannot issue NATS credentials for issuer-fails");
    expect((await enroll(token)).status).toBe(200);
  });

  test("without an issuer: the NATS URL only, and the answer says so", async () => {
    const token = await newToken({}, plainApp);
    const body = (await (await enroll(token, {}, plainApp)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      creds: null,
      nats: { auth: "none" },
      config: { nats: { url: "nats://hub.lan:4222" } },
    });
    expect(JSON.stringify(body.config)).not.toContain("creds_file");
    expect(body.message).toContain("no per-host NATS credentials");
  });

  test("the line format for install.sh: base64 config and creds; smartctl under sudo when asked", async () => {
    const token = await newToken();
    const res = await enroll(
      token,
      { hostname: "tower", smartctl_path: "/usr/sbin/smartctl" },
      app,
      "text/plain",
    );
    const text = await res.text();
    const field = (key: string): string =>
      Buffer.from(new RegExp(`^${key} (.*)$`, "m").exec(text)?.[1] ?? "", "base64").toString();
    expect(text.split("\n")[0]).toBe("infrastructor-enroll 1");
    expect(JSON.parse(field("config"))).toMatchObject({
      host: "tower",
      domains: { smart: { sudo: true, smartctl_path: "/usr/sbin/smartctl" } },
    });
    expect(field("creds")).toContain("jwt-of-tower");
    const relative = await errorOf(await enroll(await newToken(), { smartctl_path: "smartctl" }));
    expect(relative.code).toBe("INVALID_ARGUMENT");
  });
});

describe("only POST /api/enroll is open", () => {
  test("every other /api path, and spellings near the open one, need the API token", async () => {
    for (const [method, path] of [
      ["GET", "/api/enroll-events"],
      ["GET", "/api/enroll-tokens"],
      ["GET", "/api/enroll-tokens/"],
      ["GET", "/api//enroll-tokens"],
      ["GET", "/api/devices"],
      ["GET", "/api/enroll"],
      ["POST", "/api/enroll/"],
      ["POST", "/api/enroll/../enroll-tokens"],
      ["POST", "/api/enroll%2F..%2Fenroll-tokens"],
    ] as const) {
      const res = await app.request(path, { method, body: method === "POST" ? "{}" : undefined });
      // Refused for want of the token, or no such route: never served.
      expect([path, res.status === 401 || res.status === 404]).toEqual([path, true]);
    }
  });
});

describe("/api/enroll-tokens", () => {
  test("needs the API token; lists without secrets; refuses bad settings", async () => {
    expect((await app.request("/api/enroll-tokens", { method: "POST", body: "{}" })).status).toBe(401);
    const created = await app.request("/api/enroll-tokens", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ ttl: "2h", max_uses: 3, note: "rack 2", any_host: true }),
    });
    const token = (await created.json()) as { token: string; max_uses: number; expires_at: string };
    expect(token.token).toMatch(/^ie_[A-Za-z0-9_-]{43}$/);
    expect(token.max_uses).toBe(3);
    const listed = await (await app.request("/api/enroll-tokens", { headers: auth })).text();
    expect(listed).toContain("rack 2");
    expect(listed).not.toContain(token.token);
    expect(listed).not.toContain("token_sha256");
    for (const body of [
      { max_uses: 0, any_host: true },
      { ttl: "10s", host: "a" },
      { host: "Bad Host" },
      { ttl: "soon", any_host: true },
      {}, // neither a host nor any_host: a token is for one host unless asked otherwise
      { host: "a", any_host: true },
      { any_host: false },
    ]) {
      const res = await app.request("/api/enroll-tokens", {
        method: "POST",
        headers: auth,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
    }
    const missing = await app.request("/api/enroll-tokens/999999", { method: "DELETE", headers: auth });
    expect(missing.status).toBe(404);
  });
});

describe("GET /install.sh and /agent/*", () => {
  test("install.sh is open, carries the collector URL and the service files", async () => {
    const res = await app.request("http://10.0.0.5:9101/install.sh");
    expect(res.status).toBe(200);
    const script = await res.text();
    expect(script).toContain("DEFAULT_COLLECTOR='http://hub.lan:9101'");
    expect(script).toContain(
      "ExecStart=/usr/local/bin/infrastructor-agent --config /etc/infrastructor/agent.json",
    );
    expect(script).toContain("#!/sbin/openrc-run");
    expect(/^@@embed /m.test(script)).toBe(false);
    // No COLLECTOR_PUBLIC_URL: the URL of the request itself, held to the pattern.
    const fromRequest = await (await plainApp.request("http://10.0.0.5:9101/install.sh")).text();
    expect(fromRequest).toContain("DEFAULT_COLLECTOR='http://10.0.0.5:9101'");
  });

  test("the agent binary is streamed with its SHA-256, also published on its own", async () => {
    const bytes = Buffer.from("a stand-in for a compiled agent\n");
    await writeFile(join(distDir, "infrastructor-agent-linux-arm64"), bytes);
    const hex = createHash("sha256").update(bytes).digest("hex");
    const res = await app.request("/agent/linux-arm64");
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Checksum-Sha256")).toBe(hex);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(await (await app.request("/agent/linux-arm64.sha256")).text()).toBe(
      `${hex}  infrastructor-agent-linux-arm64\n`,
    );
    const missing = await errorOf(await app.request("/agent/linux-x64"));
    expect(missing).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(missing.message).toContain("bun run build:agent");
    expect((await app.request("/agent/linux-mips")).status).toBe(404);
    expect((await app.request("/agent/..%2Fetc%2Fpasswd")).status).toBe(404);
  });
});
