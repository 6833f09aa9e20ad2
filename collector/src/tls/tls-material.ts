import { createHash, randomBytes, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

/**
 * The TLS material of one collector site, generated once at setup: a private CA (ECDSA P-256, 10 years)
 * and a server certificate it signs (ECDSA P-256, 825 days) whose SANs are the names and addresses hosts
 * use to reach the collector and NATS. Agents pin the CA for NATS; the install line pins the server
 * certificate's public key (curl --pinnedpubkey), so neither needs a public CA or DNS.
 *
 * openssl from the distribution does the X.509 work: node:crypto cannot issue certificates, and a
 * well-kept npm library would be one more dependency in the collector for what one tool of every Linux
 * system does. Every value reaching openssl's argv or its extension file passed a strict pattern.
 */
export const TLS_FILES = {
  caCert: "ca.pem",
  caKey: "ca.key",
  cert: "server.pem",
  key: "server.key",
} as const;

export interface TlsMaterial {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** `sha256//<base64 of the SHA-256 of the server certificate's SubjectPublicKeyInfo>`, for curl. */
  pin: string;
  sans: string[];
}

/** A DNS name (labels of letters, digits, hyphens) or an IPv4/IPv6 address; nothing else reaches openssl. */
const DNS_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function checkSan(san: string): "DNS" | "IP" {
  if (isIP(san) !== 0) return "IP";
  if (DNS_NAME.test(san)) return "DNS";
  throw new AppError(
    ErrorCode.INVALID_ARGUMENT,
    `${JSON.stringify(san)} is neither a host name nor an IP address; a certificate cannot name it`,
  );
}

/**
 * Creates what is missing in `dir` (0700): the CA once, and a server certificate whenever the one there
 * does not name every SAN asked for (the CA, which agents pin, stays). Returns the files and the pin.
 */
export function ensureTlsMaterial(dir: string, sans: string[]): TlsMaterial {
  if (sans.length === 0)
    throw new AppError(ErrorCode.INVALID_ARGUMENT, "a certificate needs at least one name");
  const kinds = sans.map((san) => [checkSan(san), san] as const);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    caFile: join(dir, TLS_FILES.caCert),
    caKey: join(dir, TLS_FILES.caKey),
    certFile: join(dir, TLS_FILES.cert),
    keyFile: join(dir, TLS_FILES.key),
  };
  if (!existsSync(files.caFile) || !existsSync(files.caKey)) {
    openssl([
      "req",
      "-x509",
      "-new",
      ...EC_KEY,
      "-keyout",
      files.caKey,
      "-out",
      files.caFile,
      "-days",
      "3650",
      "-subj",
      "/CN=Infrastructor site CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE,pathlen:0",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    rmSync(files.certFile, { force: true }); // a certificate of an earlier CA would not verify
  }
  if (!existsSync(files.certFile) || !existsSync(files.keyFile) || !names(files.certFile, kinds)) {
    issueServerCert(dir, files, kinds);
  }
  return {
    dir,
    caFile: files.caFile,
    certFile: files.certFile,
    keyFile: files.keyFile,
    pin: spkiPin(readFileSync(files.certFile, "utf8")),
    sans,
  };
}

/** curl's --pinnedpubkey value for a PEM certificate: `sha256//` + base64(SHA-256(SPKI DER)). */
export function spkiPin(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return `sha256//${createHash("sha256").update(spki).digest("base64")}`;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function issueServerCert(
  dir: string,
  files: { caFile: string; caKey: string; certFile: string; keyFile: string },
  kinds: (readonly ["DNS" | "IP", string])[],
): void {
  const csr = join(dir, "server.csr");
  const ext = join(dir, "server.ext");
  const [first] = kinds;
  writeFileSync(
    ext,
    [
      `subjectAltName=${kinds.map(([kind, san]) => `${kind}:${san}`).join(",")}`,
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  try {
    openssl(["req", "-new", ...EC_KEY, "-keyout", files.keyFile, "-out", csr, "-subj", `/CN=${first?.[1]}`]);
    openssl([
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      files.caFile,
      "-CAkey",
      files.caKey,
      "-set_serial",
      `0x${randomBytes(15).toString("hex")}`,
      "-days",
      "825",
      "-extfile",
      ext,
      "-out",
      files.certFile,
    ]);
  } finally {
    rmSync(csr, { force: true });
    rmSync(ext, { force: true });
  }
}

/** Whether the certificate names every SAN asked for. */
function names(certFile: string, kinds: (readonly ["DNS" | "IP", string])[]): boolean {
  // checkIP/checkHost, not the SAN text: IPv6 addresses are printed expanded there.
  const cert = new X509Certificate(readFileSync(certFile));
  return kinds.every(([kind, san]) =>
    kind === "IP" ? cert.checkIP(san) !== undefined : cert.checkHost(san, { subject: "never" }) !== undefined,
  );
}

function openssl(args: string[]): void {
  // umask-independent: openssl writes keys 0600 itself; the directory is 0700 anyway.
  const run = Bun.spawnSync(["openssl", ...args], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) {
    throw new AppError(
      ErrorCode.COMMAND_FAILED,
      `openssl ${args[0]} failed: ${run.stderr.toString().trim() || `exit ${run.exitCode}`}`,
    );
  }
}
