import { describe, expect, test } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isSecretKey, REDACTED, redactLabels, redactValue } from "./redact-secrets.ts";

const CASES = join(import.meta.dir, "../../domains/docker/agent/testdata/labels");

interface LabelCase {
  labels: Record<string, string>;
  redacted: Record<string, string>;
  secrets: string[];
}

describe("redactLabels on real label sets (docker testdata/labels, PROVENANCE.md)", async () => {
  for (const name of (await readdir(CASES)).filter((f) => f.endsWith(".json")).sort()) {
    test(name, async () => {
      const c = JSON.parse(await readFile(join(CASES, name), "utf8")) as LabelCase;
      const out = redactLabels(c.labels);
      expect(out).toEqual(c.redacted);
      const text = JSON.stringify(out);
      for (const secret of c.secrets) expect(text).not.toContain(secret);
    });
  }
});

describe("the classes behind the cases", () => {
  test("secret-looking keys, by word, compound word or camelCase, but not look-alikes", () => {
    for (const key of [
      "PASSWORD",
      "db.passwd",
      "mysql_root_password",
      "app.secretKey",
      "x-api-key",
      "githubToken",
      "traefik.http.middlewares.a.digestauth.users",
      "oauth.client",
      "vault.credentials",
      "session.cookie",
      "tls.private",
    ]) {
      expect([key, isSecretKey(key)]).toEqual([key, true]);
    }
    for (const key of [
      "org.opencontainers.image.authors",
      "traefik.http.middlewares.a.forwardauth.address",
      "traefik.http.middlewares.a.basicauth.realm",
      "com.docker.compose.config-hash",
      "monkey.business",
      "traefik.http.routers.a.middlewares",
      "keyboard.layout",
    ]) {
      expect([key, isSecretKey(key)]).toEqual([key, false]);
    }
  });

  test("credentials inside values under any key: URL user info, secret query parameters, token paths", () => {
    expect(redactValue("x", "https://user:pw@example.com/a")).toBe(`https://${REDACTED}@example.com/a`);
    expect(redactValue("x", "amqp://guest@rabbit:5672")).toBe(`amqp://${REDACTED}@rabbit:5672`);
    expect(redactValue("x", "https://a.example/x?api_key=abc123&page=2")).toBe(
      `https://a.example/x?api_key=${REDACTED}&page=2`,
    );
    expect(redactValue("x", "https://a.example/x?access_token=abc;sig=zz")).toBe(
      `https://a.example/x?access_token=${REDACTED};sig=${REDACTED}`,
    );
    expect(redactValue("x", "https://discord.com/api/webhooks/123/abcDEF")).toBe(
      `https://discord.com/api/webhooks/${REDACTED}`,
    );
    expect(redactValue("x", "https://api.telegram.org/bot123:AAE/sendMessage")).toBe(
      `https://api.telegram.org/bot${REDACTED}/sendMessage`,
    );
    expect(redactValue("x", "slack://hook:T0/B0/XX@webhook")).toBe(`slack://${REDACTED}`);
    expect(redactValue("x", "curl -H 'Authorization: Bearer abcdefgh12345678'")).toBe(
      `curl -H 'Authorization: Bearer ${REDACTED}'`,
    );
  });

  test("values that are secrets whatever their key: hashes, private keys, JWTs, known token formats", () => {
    for (const value of [
      "admin:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/",
      "u:$2y$05$jyYdEv/SOqfhRXLmgGhnbuiKTdxHnXE21m4Rctn4iZPqTFAY3BG8W",
      "u:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
      "AKIAIOSFODNN7EXAMPLE",
    ]) {
      expect(redactValue("note", value)).toBe(REDACTED);
    }
  });

  test("ordinary values are left as they are", () => {
    for (const value of [
      "true",
      "Host(`a.example.com`)",
      "https://github.com/org/repo",
      "/srv/data",
      "8080",
    ]) {
      expect(redactValue("app.setting", value)).toBe(value);
    }
  });
});
