import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

/**
 * A real SMTP server (the `smtp-server` package, nodemailer's sibling) on 127.0.0.1:0 that keeps what
 * it receives, for the SMTP channel's tests. `reject` answers a stage with an SMTP reply code.
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Whether the session was encrypted (STARTTLS or implicit TLS) when the message was sent. */
  secure: boolean;
  user: string | null;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Every AUTH attempt, with the session's encryption at that moment. */
  logins: { method: string; user: string; secure: boolean }[];
  /** Connection errors the server saw (a client hanging up during the TLS handshake). */
  errors: Error[];
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  tls: TestCertificate;
  /** TLS from the first byte (smtps) instead of STARTTLS. */
  secure?: boolean;
  /** Do not offer STARTTLS at all. */
  noStarttls?: boolean;
  /** user -> password; none: AUTH is optional. */
  users?: Record<string, string>;
  authMethods?: string[];
  /** Refuse a login with a reply that quotes the password sent, as a careless server might. */
  echoPassword?: boolean;
  reject?: { stage: "rcpt" | "data"; code: number; message: string };
}

export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const logins: SmtpSink["logins"] = [];
  const errors: Error[] = [];
  const refusal = (): Error =>
    Object.assign(new Error(options.reject?.message ?? "refused"), { responseCode: options.reject?.code });
  const config: SMTPServerOptions = {
    secure: options.secure === true,
    key: options.tls.key,
    cert: options.tls.cert,
    logger: false,
    // Neither advertised in EHLO nor accepted when sent anyway: a server that has no TLS at all.
    hideSTARTTLS: options.noStarttls === true,
    disabledCommands: options.noStarttls === true ? ["STARTTLS"] : [],
    // Without TLS, accept AUTH in clear: a client that sent its password anyway shows up in `logins`.
    allowInsecureAuth: options.noStarttls === true,
    authOptional: options.users === undefined,
    authMethods: options.authMethods ?? ["PLAIN", "LOGIN"],
    onAuth(auth, session, callback) {
      logins.push({ method: auth.method, user: auth.username ?? "", secure: session.secure });
      const expected = options.users?.[auth.username ?? ""];
      if (expected !== undefined && expected === auth.password)
        return callback(null, { user: auth.username });
      const echo = options.echoPassword === true ? ` (you sent ${auth.password})` : "";
      return callback(new Error(`Invalid username or password${echo}`));
    },
    onRcptTo(_address, _session, callback) {
      callback(options.reject?.stage === "rcpt" ? refusal() : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (options.reject?.stage === "data") return callback(refusal());
        mails.push({
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          secure: session.secure,
          user: typeof session.user === "string" ? session.user : null,
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(config);
  // A client that refuses our certificate hangs up mid-handshake: expected in the TLS tests, and an
  // 'error' event without a listener would throw out of the test.
  server.on("error", (error: Error) => errors.push(error));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    logins,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TestCertificate {
  /** PEM of a self-signed certificate for 127.0.0.1 and localhost; also the CA file to trust it. */
  cert: string;
  key: string;
  certFile: string;
  cleanup(): Promise<void>;
}

/** A throwaway self-signed certificate made by openssl (argv only) in a temp dir. */
export async function makeTestCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), "infra-smtp-tls-"));
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  const run = Bun.spawnSync(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  if (run.exitCode !== 0) throw new Error(`openssl req failed: ${run.stderr.toString()}`);
  return {
    cert: await readFile(certFile, "utf8"),
    key: await readFile(keyFile, "utf8"),
    certFile,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
