import { expect, test } from "bun:test";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@infrastructor/shared/errors.ts";
import postgres from "postgres";
import { Registry } from "prom-client";
import { loadMcpConfig } from "../../../mcp/src/config.ts";
import { createLogger } from "../logger.ts";
import { startCollectorAlerts } from "./collector-alerts.ts";

/** The dead-man's ping URL is read by the channels' secret rules; a refusal names dead_man, never the URL. */
test("a dead_man url_file readable by every user, or an unset url_env, stops the start naming dead_man", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dead-man-secret-"));
  const url = "postgres://nobody@127.0.0.1:1/none";
  const sql = postgres(url, { max: 1 }); // never connected: the start stops before any query
  try {
    const secret = join(dir, "ping.url");
    await writeFile(secret, "https://hc-ping.example/0f1e2d3c-secret\n");
    await chmod(secret, 0o644);
    const start = async (deadMan: string): Promise<unknown> => {
      const file = join(dir, "alerts.yaml");
      await writeFile(file, `dead_man:\n  ${deadMan}\n`);
      return await startCollectorAlerts({
        file,
        server: loadMcpConfig({ DATABASE_URL: url }),
        sql,
        databaseUrl: url,
        env: {},
        log: createLogger("silent"),
        registry: new Registry(),
        healthy: async () => true,
      }).then(
        () => null,
        (e: unknown) => e,
      );
    };
    const readable = await start(`url_file: ${secret}`);
    expect(readable).toBeInstanceOf(AppError);
    expect((readable as AppError).message).toBe(
      `dead_man: url_file ${secret} is readable by every user (mode 644); chmod o-r it`,
    );
    const unset = await start("url_env: PING_URL");
    expect((unset as AppError).message).toBe("dead_man: environment variable PING_URL is not set or empty");
    for (const e of [readable, unset]) expect(String((e as Error).message)).not.toContain("0f1e2d3c");
  } finally {
    await sql.end({ timeout: 0 });
    await rm(dir, { recursive: true, force: true });
  }
});
