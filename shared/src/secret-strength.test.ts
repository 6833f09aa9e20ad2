import { expect, test } from "bun:test";
import { join } from "node:path";
import { placeholderSecretReason, weakSecretReason } from "./secret-strength.ts";

test("every value of .env.example is refused (the example file cannot run as it is)", async () => {
  const text = await Bun.file(join(import.meta.dir, "../../.env.example")).text();
  const secrets = text
    .split("\n")
    .map((line) => /^([A-Z_]*(?:PASSWORD|TOKEN))=(.*)$/.exec(line))
    .filter((m) => m !== null);
  expect(secrets.length).toBeGreaterThanOrEqual(4);
  for (const [, name, value] of secrets) {
    expect({ name, refused: weakSecretReason(value ?? "") !== null }).toEqual({ name, refused: true });
  }
});

test("placeholders in any spelling, well-known defaults, short and repetitive values are refused", () => {
  for (const value of [
    "change-me",
    "CHANGE_ME_TOO",
    "change-me-to-at-least-16-characters",
    "please-changeme-0123456789abcdef",
    "your-password-here-1234567890",
    "Password",
    "p@ssw0rd",
    "postgres",
    "changethis",
    "0123456789abcdef",
    "short-9f2c",
    "aaaaaaaaaaaaaaaaaaaaaaaa",
    "abababababababababababab",
    "abcabcabcabcabcabc",
  ]) {
    expect({ value, refused: weakSecretReason(value) !== null }).toEqual({ value, refused: true });
  }
});

test("generated secrets pass; the reason never contains the value", () => {
  for (const value of [
    "4f9c2e7a1b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
    "Zq8-vN3k_Lp2xR7w",
    "test-token-0123456789abcdef",
  ]) {
    expect({ value, reason: weakSecretReason(value) }).toEqual({ value, reason: null });
  }
  expect(weakSecretReason("hunter2")).not.toContain("hunter2");
});

test("placeholderSecretReason refuses placeholders only, whatever the length", () => {
  expect(placeholderSecretReason("change-me")).not.toBeNull();
  expect(placeholderSecretReason("s3cr9x")).toBeNull();
});
