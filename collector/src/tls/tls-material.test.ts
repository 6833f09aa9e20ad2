import { afterAll, describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTlsMaterial, spkiPin } from "./tls-material.ts";

const dir = mkdtempSync(join(tmpdir(), "infra-tls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[], stdin?: Uint8Array): { code: number; out: Buffer } {
  const r = Bun.spawnSync(argv, { stdin: stdin ?? "ignore", stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, out: r.stdout };
}

describe("ensureTlsMaterial", () => {
  test("a CA and a server certificate it signs, naming every SAN; keys 0600", () => {
    const m = ensureTlsMaterial(join(dir, "site"), ["10.0.0.5", "hub.lan"]);
    expect(run(["openssl", "verify", "-CAfile", m.caFile, m.certFile]).code).toBe(0);
    const cert = new X509Certificate(readFileSync(m.certFile));
    expect(cert.subjectAltName).toBe("IP Address:10.0.0.5, DNS:hub.lan");
    expect(cert.checkIP("10.0.0.5")).toBe("10.0.0.5");
    expect(cert.ca).toBe(false);
    expect(new X509Certificate(readFileSync(m.caFile)).ca).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(statSync(m.keyFile).mode & 0o077).toBe(0);
    expect(statSync(join(dir, "site", "ca.key")).mode & 0o077).toBe(0);
  });

  test("the pin is curl's: base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo", () => {
    const m = ensureTlsMaterial(join(dir, "site"), ["10.0.0.5", "hub.lan"]);
    const spki = run(["openssl", "x509", "-in", m.certFile, "-pubkey", "-noout"]).out;
    const der = run(["openssl", "pkey", "-pubin", "-outform", "der"], spki).out;
    const digest = run(["openssl", "dgst", "-sha256", "-binary"], der).out;
    expect(m.pin).toBe(`sha256//${digest.toString("base64")}`);
    expect(spkiPin(readFileSync(m.certFile, "utf8"))).toBe(m.pin);
  });

  test("kept as it is when it names the SANs; re-issued under the same CA for a new one", () => {
    const first = ensureTlsMaterial(join(dir, "site"), ["10.0.0.5", "hub.lan"]);
    const ca = readFileSync(first.caFile, "utf8");
    expect(ensureTlsMaterial(join(dir, "site"), ["hub.lan"]).pin).toBe(first.pin);
    const more = ensureTlsMaterial(join(dir, "site"), ["10.0.0.6"]);
    expect(more.pin).not.toBe(first.pin);
    expect(readFileSync(more.caFile, "utf8")).toBe(ca);
    expect(new X509Certificate(readFileSync(more.certFile)).checkIP("10.0.0.6")).toBe("10.0.0.6");
  });

  test("an IPv6 address is recognized as named: the certificate is not re-issued at every start", () => {
    const first = ensureTlsMaterial(join(dir, "v6"), ["fd00::5", "hub.lan"]);
    expect(new X509Certificate(readFileSync(first.certFile)).checkIP("fd00::5")).toBe("fd00::5");
    expect(ensureTlsMaterial(join(dir, "v6"), ["fd00::5"]).pin).toBe(first.pin);
  });

  test("a SAN that is not a plain name or address never reaches openssl", () => {
    for (const bad of ["hub.lan,DNS:evil.example", "a b", "$(reboot)", "hub.lan\nDNS:x", "", "-x", "a..b"]) {
      expect(() => ensureTlsMaterial(join(dir, "bad"), [bad])).toThrow(/neither a host name nor an IP/);
    }
    expect(() => ensureTlsMaterial(join(dir, "bad"), [])).toThrow(/at least one name/);
  });
});
