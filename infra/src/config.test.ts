import { describe, expect, test } from "bun:test";
import { loadInfraConfig } from "./config.ts";

const pin = `sha256//${"A".repeat(43)}=`;
const db = { DATABASE_URL: "postgres://u@db:5432/infra" };

describe("loadInfraConfig: an HTTPS collector", () => {
  test("COLLECTOR_CA and COLLECTOR_PIN are read; unset, they are null", () => {
    const config = loadInfraConfig({
      ...db,
      COLLECTOR_URL: "https://hub.lan:9101",
      COLLECTOR_CA: "/x/ca.pem",
      COLLECTOR_PIN: pin,
    });
    expect(config.collectorCaFile).toBe("/x/ca.pem");
    expect(config.collectorPin).toBe(pin);
    expect(loadInfraConfig(db).collectorPin).toBeNull();
    expect(loadInfraConfig(db).collectorCaFile).toBeNull();
  });

  test("a pin that is not sha256//<base64> is refused, naming the variable", () => {
    for (const bad of ["sha256//x'; reboot", "abc", `${pin} `]) {
      expect(() => loadInfraConfig({ ...db, COLLECTOR_PIN: bad })).toThrow(/COLLECTOR_PIN/);
    }
  });
});

describe("loadInfraConfig: the settings infra shares with the MCP server", () => {
  test("database, SSH and staleness come from the same variables, parsed by the libs that own them", () => {
    const config = loadInfraConfig({
      ...db,
      DATABASE_STATEMENT_TIMEOUT: "30s",
      MCP_SSH_CONNECT_TIMEOUT: "2s",
      MCP_SSH_KNOWN_HOSTS: "none",
      SSH_AUTH_SOCK: "/run/agent.sock",
      MCP_STALE_FACTOR: "4",
      MCP_STALE_AFTER: "docker=2m",
    });
    expect(config.database.url).toBe(db.DATABASE_URL);
    expect(config.database.limits.statementTimeoutMs).toBe(30_000);
    expect(config.ssh).toMatchObject({
      connectTimeoutMs: 2_000,
      knownHostsPath: null,
      agentSocket: "/run/agent.sock",
    });
    expect(config.staleness).toEqual({ staleFactor: 4, staleAfterMs: { docker: 120_000 } });
    expect(loadInfraConfig({ ...db, HOME: "/home/op" }).ssh.knownHostsPath).toBe("/home/op/.ssh/known_hosts");
  });

  test("a bad shared setting is refused naming its variable; one only the MCP server reads is not infra's", () => {
    expect(() => loadInfraConfig({})).toThrow(/DATABASE_URL: is not set/);
    expect(() => loadInfraConfig({ ...db, MCP_SSH_CONNECT_TIMEOUT: "soon" })).toThrow(
      /MCP_SSH_CONNECT_TIMEOUT/,
    );
    expect(() => loadInfraConfig({ ...db, MCP_STALE_AFTER: "nope=1m" })).toThrow(/MCP_STALE_AFTER/);
    expect(loadInfraConfig({ ...db, LOG_LEVEL: "loud", MCP_CPU_WARN_PCT: "500" }).database.url).toBe(
      db.DATABASE_URL,
    );
  });
});
