import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { AppError } from "@infrastructor/shared/errors.ts";
import {
  makeTestCertificate,
  type SmtpSink,
  startSmtpSink,
  type TestCertificate,
} from "../testing/smtp-sink.ts";
import { type Channel, ChannelError, type Notification } from "./channel.ts";
import { channelFromUrl } from "./channel-url.ts";
import { messageIdFor } from "./smtp-message.ts";

// Formats followed: SMTP transport options (secure / requireTLS / ignoreTLS / tls.ca)
// https://nodemailer.com/smtp/ ; the sink is smtp-server https://nodemailer.com/extras/smtp-server/ ;
// reply classes RFC 5321 §4.2.1 (4yz transient, 5yz permanent); STARTTLS RFC 3207.

const PASSWORD = "Tr0ub4dor&3-secret";
const ENC_PASSWORD = encodeURIComponent(PASSWORD);

let cert: TestCertificate;
let otherCert: TestCertificate;
const sinks: SmtpSink[] = [];

beforeAll(async () => {
  cert = await makeTestCertificate();
  otherCert = await makeTestCertificate();
});
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await cert.cleanup();
  await otherCert.cleanup();
});

async function sink(options: Omit<Parameters<typeof startSmtpSink>[0], "tls"> = {}): Promise<SmtpSink> {
  const started = await startSmtpSink({ tls: cert, users: { "alerts@example.org": PASSWORD }, ...options });
  sinks.push(started);
  return started;
}

function notification(over: Partial<Notification> = {}): Notification {
  return {
    dedupKey: "alert:42:firing:1",
    kind: "firing",
    severity: "critical",
    title: "zfs pool tank DEGRADED on nas",
    body: "Since 10:02, vdev sdb FAULTED.\nFirst: zpool status tank, then replace sdb.",
    hosts: ["nas"],
    at: new Date("2026-12-02T10:02:00Z"),
    ...over,
  };
}

function url(port: number, query = "", scheme = "smtp", password = ENC_PASSWORD): string {
  const user = "alerts%40example.org";
  return `${scheme}://${user}:${password}@127.0.0.1:${port}/?to=ops@example.org,oncall@example.org&ca=${cert.certFile}${query}`;
}

async function failure(channel: Channel, n = notification()): Promise<ChannelError> {
  const error = await channel.send(n).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  const channelError = error as ChannelError;
  // The secret in none of its forms: as is, percent-encoded, or inside the AUTH PLAIN base64.
  for (const text of [channelError.message, channel.redacted]) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(ENC_PASSWORD);
    expect(text).not.toContain(Buffer.from(`\u0000alerts@example.org\u0000${PASSWORD}`).toString("base64"));
  }
  return channelError;
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split("\r\n\r\n")[0]?.replace(/\r\n[ \t]+/g, " ") ?? "";
  return head
    .split("\r\n")
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();
}

describe("smtp channel", () => {
  test("STARTTLS on smtp://: envelope, subject with severity, plain body, Message-ID from the dedup key", async () => {
    const server = await sink({ authMethods: ["PLAIN"] });
    const channel = channelFromUrl("ops-mail", url(server.port));
    await channel.send(notification());
    expect(server.mails).toHaveLength(1);
    const mail = server.mails[0];
    expect(mail?.secure).toBe(true);
    expect(mail?.user).toBe("alerts@example.org");
    expect(mail?.from).toBe("alerts@example.org");
    expect(mail?.to).toEqual(["ops@example.org", "oncall@example.org"]);
    expect(server.logins).toEqual([{ method: "PLAIN", user: "alerts@example.org", secure: true }]);
    const raw = mail?.raw ?? "";
    expect(header(raw, "Subject")).toBe("[CRITICAL] zfs pool tank DEGRADED on nas");
    expect(header(raw, "Content-Type")).toStartWith("text/plain");
    expect(header(raw, "Message-ID")).toBe(messageIdFor("alert:42:firing:1", "alerts@example.org"));
    expect(raw).toContain("vdev sdb FAULTED.\r\nFirst: zpool status tank, then replace sdb.");
    expect(raw).toContain("Hosts: nas");
    expect(raw).toContain("Since: 2026-12-02T10:02:00.000Z");
    expect(channel.redacted).toBe(url(server.port, "", "smtp", "***"));

    // A resend of the same state change carries the same Message-ID: recognisable as a duplicate.
    await channel.send(notification({ body: "again" }));
    expect(header(server.mails[1]?.raw ?? "", "Message-ID")).toBe(header(raw, "Message-ID"));
  });

  test("AUTH LOGIN with the URL's credentials", async () => {
    const server = await sink({ authMethods: ["LOGIN"] });
    await channelFromUrl("ops-mail", url(server.port)).send(
      notification({ kind: "resolved", severity: "warning" }),
    );
    expect(server.logins).toEqual([{ method: "LOGIN", user: "alerts@example.org", secure: true }]);
    expect(header(server.mails[0]?.raw ?? "", "Subject")).toBe(
      "[WARNING resolved] zfs pool tank DEGRADED on nas",
    );
    expect(server.mails[0]?.raw).toContain("Resolved at: 2026-12-02T10:02:00.000Z");
  });

  test("implicit TLS on smtps://", async () => {
    const server = await sink({ secure: true });
    await channelFromUrl("ops-mail", url(server.port, "", "smtps")).send(notification());
    expect(server.mails).toHaveLength(1);
    expect(server.mails[0]?.secure).toBe(true);
  });

  test("CR/LF in the title cannot add a header or a recipient", async () => {
    const server = await sink();
    const title = "disk full on web1\r\nBcc: thief@evil.example\r\nX-Injected: yes\u2028Subject: spoof";
    await channelFromUrl("ops-mail", url(server.port)).send(notification({ title }));
    const raw = server.mails[0]?.raw ?? "";
    expect(server.mails[0]?.to).toEqual(["ops@example.org", "oncall@example.org"]);
    expect(header(raw, "Bcc")).toBeUndefined();
    expect(header(raw, "X-Injected")).toBeUndefined();
    expect(header(raw, "Subject")).toBe(
      "[CRITICAL] disk full on web1 Bcc: thief@evil.example X-Injected: yes Subject: spoof",
    );
  });

  test("a wrong password is permanent, and the password is in no message", async () => {
    const server = await sink();
    const error = await failure(channelFromUrl("ops-mail", url(server.port, "", "smtp", "wrong-pw")));
    expect(error.disposition).toBe("permanent");
    expect(error.message).toContain("535");
    const unknownUser = url(server.port).replace("alerts%40", "nobody%40");
    expect((await failure(channelFromUrl("ops-mail", unknownUser))).disposition).toBe("permanent");

    // A server that quotes the password in its refusal: the reply is kept, the password cut out.
    const echoing = await sink({ echoPassword: true, users: { "alerts@example.org": "another" } });
    const echoed = await failure(channelFromUrl("ops-mail", url(echoing.port)));
    expect(echoed.message).toContain("you sent ***");
    expect(server.mails).toHaveLength(0);
  });

  test("451 is retried, 550 is permanent", async () => {
    const busy = await sink({ reject: { stage: "rcpt", code: 451, message: "greylisted, try again later" } });
    const retry = await failure(channelFromUrl("ops-mail", url(busy.port)));
    expect(retry.disposition).toBe("retry");
    expect(retry.message).toContain("451");

    const gone = await sink({ reject: { stage: "data", code: 550, message: "message refused" } });
    const permanent = await failure(channelFromUrl("ops-mail", url(gone.port)));
    expect(permanent.disposition).toBe("permanent");
    expect(permanent.message).toContain("550");
  });

  test("a server without STARTTLS is refused before any credential is sent", async () => {
    const server = await sink({ noStarttls: true });
    const error = await failure(channelFromUrl("ops-mail", url(server.port)));
    expect(error.disposition).toBe("retry");
    expect(error.message).toContain("STARTTLS");
    expect(server.logins).toEqual([]);
    expect(server.mails).toHaveLength(0);
  });

  test("an untrusted certificate is refused (system roots, or a ?ca= of another CA)", async () => {
    const server = await sink();
    const noCa = url(server.port).replace(`&ca=${cert.certFile}`, "");
    const otherCa = url(server.port).replace(cert.certFile, otherCert.certFile);
    const tlsServer = await sink({ secure: true });
    const smtpsOtherCa = url(tlsServer.port, "", "smtps").replace(cert.certFile, otherCert.certFile);
    for (const target of [noCa, otherCa, smtpsOtherCa]) {
      const error = await failure(channelFromUrl("ops-mail", target));
      expect(error.disposition).toBe("retry");
      expect(error.message).toMatch(/certificate/i);
    }
    expect(tlsServer.logins).toEqual([]);
    expect(server.logins).toEqual([]);
    expect(server.mails).toHaveLength(0);
  });

  test("connection refused and a silent server are retried", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(channelFromUrl("ops-mail", url(port)));
    expect(refused.disposition).toBe("retry");

    // Accepts the connection and never greets: the greeting timeout ends it.
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const started = Date.now();
    const timedOut = await failure(channelFromUrl("ops-mail", url(silentPort, "&timeout=300ms")));
    expect(timedOut.disposition).toBe("retry");
    expect(Date.now() - started).toBeLessThan(5_000);
    silent.close();
  });

  test("an aborted send is retried and sends nothing", async () => {
    const server = await sink();
    const channel = channelFromUrl("ops-mail", url(server.port));
    const error = await channel.send(notification(), AbortSignal.abort()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).disposition).toBe("retry");
    expect(server.mails).toHaveLength(0);
  });

  test("starttls=no reaches a LAN relay in clear, and only without credentials", async () => {
    const relay = await sink({ noStarttls: true, users: undefined });
    const lan = `smtp://127.0.0.1:${relay.port}/?from=nas@lan.example&to=me@lan.example&starttls=no`;
    await channelFromUrl("relay", lan).send(notification());
    expect(relay.mails[0]?.secure).toBe(false);
    expect(relay.mails[0]?.from).toBe("nas@lan.example");

    const error = (() => {
      try {
        channelFromUrl(
          "relay",
          `smtp://u:${ENC_PASSWORD}@127.0.0.1:${relay.port}/?from=a@b.example&to=c@d.example&starttls=no`,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFIG_INVALID");
    expect((error as AppError).message).not.toContain(PASSWORD);
  });
});
