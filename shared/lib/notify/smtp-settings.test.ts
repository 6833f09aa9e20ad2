import { describe, expect, test } from "bun:test";
import { AppError } from "@infrastructor/shared/errors.ts";
import { parseSmtpUrl } from "./smtp-settings.ts";

const SECRET = "pa55:w/rd@x";
const ENC = encodeURIComponent(SECRET);

function refusal(url: string): AppError {
  try {
    parseSmtpUrl("ops-mail", new URL(url));
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe("CONFIG_INVALID");
    expect(appError.message).toMatch(/^channel ops-mail \(smtps?\): /);
    expect(appError.message).not.toContain(SECRET);
    expect(appError.message).not.toContain(ENC);
    return appError;
  }
  throw new Error(`accepted ${url}`);
}

describe("parseSmtpUrl", () => {
  test("smtp:// defaults to 587 with STARTTLS required; the password decoded and redacted", () => {
    const settings = parseSmtpUrl(
      "ops-mail",
      new URL(
        `smtp://me%40example.org:${ENC}@mail.example.org/?to=a@example.org, b@example.org&to=c@example.org`,
      ),
    );
    expect(settings).toMatchObject({
      security: "starttls",
      host: "mail.example.org",
      port: 587,
      user: "me@example.org",
      pass: SECRET,
      from: "me@example.org",
      to: ["a@example.org", "b@example.org", "c@example.org"],
      caFile: null,
      timeoutMs: 10_000,
    });
    expect(settings.redacted).toBe(
      "smtp://me%40example.org:***@mail.example.org/?to=a@example.org,%20b@example.org&to=c@example.org",
    );
  });

  test("smtps:// is implicit TLS on 465; IPv6 hosts lose their brackets; ?ca= kept", () => {
    const settings = parseSmtpUrl(
      "ops-mail",
      new URL("smtps://[::1]/?from=a@b.example&to=c@d.example&ca=/etc/ca.pem"),
    );
    expect(settings).toMatchObject({
      security: "implicit",
      host: "::1",
      port: 465,
      user: null,
      caFile: "/etc/ca.pem",
    });
  });

  test("a plus in an address stays a plus (not a space, as URLSearchParams would have it)", () => {
    const settings = parseSmtpUrl(
      "ops-mail",
      new URL("smtp://relay/?from=nas+alerts@b.example&to=me+infra@d.example&starttls=no"),
    );
    expect(settings.from).toBe("nas+alerts@b.example");
    expect(settings.to).toEqual(["me+infra@d.example"]);
  });

  test("starttls=no is the only way to send in clear, and never with credentials", () => {
    expect(
      parseSmtpUrl("ops-mail", new URL("smtp://relay:25/?from=a@b.example&to=c@d.example&starttls=no"))
        .security,
    ).toBe("none");
    expect(
      refusal(`smtp://u:${ENC}@relay:25/?from=a@b.example&to=c@d.example&starttls=no`).message,
    ).toContain("starttls=no");
    refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example&starttls=off`);
    refusal(`smtps://u:${ENC}@relay/?from=a@b.example&to=c@d.example&starttls=no`);
  });

  test("refusals name what is wrong and never the password", () => {
    expect(refusal(`smtp://u:${ENC}@relay/?from=a@b.example`).message).toContain("?to=");
    expect(refusal(`smtp://u:${ENC}@relay/?to=c@d.example`).message).toContain("?from=");
    expect(refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example&too=x`).message).toContain(
      '"too"',
    );
    expect(
      refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example%0d%0aRCPT TO:<x@y>`).message,
    ).toContain("not a plain mail address");
    refusal(`smtp://u:${ENC}@relay/inbox?from=a@b.example&to=c@d.example`);
    refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example&ca=relative.pem`);
    refusal(`smtp://u:${ENC}@relay/?from=a@b.example&from=e@f.example&to=c@d.example`);
    refusal(`smtp://u:${ENC}%zz@relay/?from=a@b.example&to=c@d.example`);
    refusal("smtp://u@relay/?from=a@b.example&to=c@d.example");
    refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example&timeout=10`);
    refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example&timeout=301s`);
    refusal(`smtp://u:${ENC}@relay/?from=a@b.example&to=c@d.example&ca=%zz`);
  });
});
