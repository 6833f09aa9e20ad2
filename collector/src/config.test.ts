import { describe, expect, test } from "bun:test";
import { AppError } from "@infrastructor/shared/errors.ts";
import { loadCollectorConfig } from "./config.ts";

const token = "0123456789abcdef0123";
/** Plain HTTP, explicitly: these tests are about other settings. */
const plainHttp = { COLLECTOR_TLS: "off" } as const;

describe("loadCollectorConfig", () => {
  test("defaults: port 9101, batches of 20,000 rows or 200 ms, 10 min duplicate window", () => {
    const config = loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token });
    expect(config.http.port).toBe(9101);
    expect(config.ingest).toMatchObject({ batchRows: 20_000, batchWaitMs: 200 });
    expect(config.stream.duplicateWindowMs).toBe(600_000);
    expect(config.retention.rawMs).toBe(30 * 86_400_000);
  });

  test("durations and sizes take units", () => {
    const config = loadCollectorConfig({
      ...plainHttp,
      COLLECTOR_API_TOKEN: token,
      STREAM_MAX_AGE: "2d",
      STREAM_MAX_BYTES: "512MiB",
      INGEST_BATCH_WAIT: "50ms",
      INGEST_RETRY_MAX: "2s",
    });
    expect(config.ingest.retryMaxMs).toBe(2000);
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, INGEST_RETRY_MAX: "10ms" }),
    ).toThrow(/INGEST_RETRY_MAX/);
    expect(config.stream.maxAgeMs).toBe(2 * 86_400_000);
    expect(config.stream.maxBytes).toBe(512 * 1024 * 1024);
    expect(config.ingest.batchWaitMs).toBe(50);
  });

  test("a bad value names its variable", () => {
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, COLLECTOR_PORT: "ninety" }),
    ).toThrow(/COLLECTOR_PORT/);
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, STREAM_DUPLICATE_WINDOW: "30s" }),
    ).toThrow(/STREAM_DUPLICATE_WINDOW: must be at least 2m/);
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, INGEST_BATCH_WAIT: "soon" }),
    ).toThrow(/INGEST_BATCH_WAIT: not a duration/);
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, INGEST_MAX_MESSAGE_BYTES: "16MiB" }),
    ).toThrow(/INGEST_MAX_MESSAGE_BYTES: must be at most 8MiB/);
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, INGEST_REJECTS_PER_HOST_MINUTE: "-1" }),
    ).toThrow(/INGEST_REJECTS_PER_HOST_MINUTE/);
  });

  test("the API token is required and must be long enough", () => {
    try {
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: "short" });
      throw new Error("expected a failure");
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("CONFIG_INVALID");
      expect((err as AppError).message).toContain("COLLECTOR_API_TOKEN");
    }
    expect(() => loadCollectorConfig({ ...plainHttp })).toThrow(/COLLECTOR_API_TOKEN/);
  });

  test("placeholders and weak secrets are refused with the variable's name, never its value", () => {
    const refused = (env: Record<string, string>): string => {
      try {
        loadCollectorConfig({ ...plainHttp, ...env });
      } catch (err) {
        expect((err as AppError).code).toBe("CONFIG_INVALID");
        return (err as AppError).message;
      }
      throw new Error(`accepted ${JSON.stringify(env)}`);
    };
    // The values of .env.example, as compose would pass them.
    expect(refused({ COLLECTOR_API_TOKEN: "change-me-to-at-least-16-characters" })).toMatch(
      /COLLECTOR_API_TOKEN: is a placeholder/,
    );
    expect(refused({ COLLECTOR_API_TOKEN: "password" })).toMatch(/COLLECTOR_API_TOKEN: is a placeholder/);
    expect(refused({ COLLECTOR_API_TOKEN: "aaaaaaaaaaaaaaaaaaaaaaaa" })).toMatch(
      /COLLECTOR_API_TOKEN: has fewer than 8 distinct characters/,
    );
    const message = refused({ COLLECTOR_API_TOKEN: token, AGENT_NATS_TOKEN: "hunter2" });
    expect(message).toMatch(/AGENT_NATS_TOKEN: must be at least 16 characters/);
    expect(message).not.toContain("hunter2");
    expect(refused({ COLLECTOR_API_TOKEN: token, NATS_TOKEN: "changeme" })).toMatch(
      /NATS_TOKEN: is a placeholder/,
    );
    expect(
      refused({
        COLLECTOR_API_TOKEN: token,
        DATABASE_URL: "postgres://infrastructor:change-me@timescaledb:5432/infrastructor",
      }),
    ).toMatch(/DATABASE_URL: its password is a placeholder/);
    // A database password is not held to a length; a URL without one is fine.
    expect(
      loadCollectorConfig({
        ...plainHttp,
        COLLECTOR_API_TOKEN: token,
        DATABASE_URL: "postgres://u:s3cr9x@db:5432/d",
      }).databaseUrl,
    ).toContain("s3cr9x");
  });

  test("MCP over HTTP is on by default, on the collector's database and retention; MCP_HTTP=off turns it off", () => {
    const config = loadCollectorConfig({
      ...plainHttp,
      COLLECTOR_API_TOKEN: token,
      DATABASE_URL: "postgres://u@db:5432/infra",
      RETENTION_RAW: "10d",
      MCP_DB_POOL_SIZE: "2",
    });
    expect(config.mcp?.server).toMatchObject({
      databaseUrl: "postgres://u@db:5432/infra",
      databasePoolSize: 2,
      retention: { rawMs: 10 * 86_400_000 },
    });
    expect(config.mcp).toMatchObject({ sessionIdleMs: 30 * 60_000, maxSessions: 32 });
    expect(loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, MCP_HTTP: "off" }).mcp).toBeNull();
    expect(() =>
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, MCP_STALE_FACTOR: "0" }),
    ).toThrow(/MCP_STALE_FACTOR/);
  });

  test("MCP over HTTP: per-client cap and the names and origins /mcp accepts; bad lists are refused", () => {
    const config = loadCollectorConfig({
      ...plainHttp,
      COLLECTOR_API_TOKEN: token,
      COLLECTOR_PUBLIC_URL: "https://Hub.lan:9101",
      MCP_HTTP_ALLOWED_HOSTS: "infra.example,Mon.LAN",
      MCP_HTTP_ALLOWED_ORIGINS: "https://console.lan,http://127.0.0.1:3000",
    });
    expect(config.mcp?.maxSessionsPerClient).toBe(8);
    expect(config.mcp?.origin.allowedHosts).toEqual(
      expect.arrayContaining(["infra.example", "mon.lan", "hub.lan"]),
    );
    expect(config.mcp?.origin.allowedOrigins).toEqual(["https://console.lan", "http://127.0.0.1:3000"]);
    expect(
      loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token }).mcp?.origin.allowedOrigins,
    ).toEqual([]);
    for (const [name, value] of [
      ["MCP_HTTP_ALLOWED_HOSTS", "evil.example:80"],
      ["MCP_HTTP_ALLOWED_HOSTS", "a, b"],
      ["MCP_HTTP_ALLOWED_ORIGINS", "*"],
      ["MCP_HTTP_ALLOWED_ORIGINS", "https://x.lan/path"],
      ["MCP_HTTP_MAX_SESSIONS_PER_CLIENT", "0"],
    ] as const) {
      expect(() => loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token, [name]: value })).toThrow(
        name,
      );
    }
  });

  test("enrollment: agents get NATS_URL unless AGENT_NATS_URL says otherwise; the public URL is held to a pattern", () => {
    const plain = loadCollectorConfig({
      ...plainHttp,
      COLLECTOR_API_TOKEN: token,
      NATS_URL: "nats://nats:4222",
    });
    expect(plain.enroll).toMatchObject({
      publicUrl: null,
      agentNatsUrl: "nats://nats:4222",
      agentNatsToken: null,
    });
    expect(plain.enroll.distDir).toMatch(/\/dist$/);
    const set = loadCollectorConfig({
      ...plainHttp,
      COLLECTOR_API_TOKEN: token,
      COLLECTOR_PUBLIC_URL: "http://hub.lan:9101",
      AGENT_NATS_URL: "nats://hub.lan:4222",
    });
    expect(set.enroll).toMatchObject({
      publicUrl: "http://hub.lan:9101",
      agentNatsUrl: "nats://hub.lan:4222",
    });
    expect(() =>
      loadCollectorConfig({
        ...plainHttp,
        COLLECTOR_API_TOKEN: token,
        COLLECTOR_PUBLIC_URL: "http://hub/'; reboot",
      }),
    ).toThrow(/COLLECTOR_PUBLIC_URL/);
  });

  test("HTTPS is the default: without a certificate and key it refuses to start, naming both and the opt-out", () => {
    expect(() => loadCollectorConfig({ COLLECTOR_API_TOKEN: token })).toThrow(
      /COLLECTOR_TLS_CERT and COLLECTOR_TLS_KEY.*COLLECTOR_TLS=off/,
    );
    expect(() =>
      loadCollectorConfig({ COLLECTOR_API_TOKEN: token, COLLECTOR_TLS_CERT: "/x/server.pem" }),
    ).toThrow(/COLLECTOR_TLS_KEY/);
    const tls = loadCollectorConfig({
      COLLECTOR_API_TOKEN: token,
      COLLECTOR_TLS_CERT: "/x/server.pem",
      COLLECTOR_TLS_KEY: "/x/server.key",
      NATS_CA: "/x/ca.pem",
    });
    expect(tls.http.tls).toEqual({ certFile: "/x/server.pem", keyFile: "/x/server.key" });
    expect(tls.nats.caFile).toBe("/x/ca.pem");
    expect(tls.enroll.agentNatsCaFile).toBe("/x/ca.pem");
    expect(loadCollectorConfig({ ...plainHttp, COLLECTOR_API_TOKEN: token }).http.tls).toBeNull();
    expect(() =>
      loadCollectorConfig({
        COLLECTOR_API_TOKEN: token,
        COLLECTOR_TLS_CERT: "/x/server.pem",
        COLLECTOR_TLS_KEY: "/x/server.key",
        COLLECTOR_PUBLIC_URL: "http://hub.lan:9101",
      }),
    ).toThrow(/COLLECTOR_PUBLIC_URL is http/);
  });
});
