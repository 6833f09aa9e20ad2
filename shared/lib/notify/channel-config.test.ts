import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "@infrastructor/shared/errors.ts";
import { type ChannelEntry, ChannelEntrySchema, loadChannel } from "./channel-config.ts";

const SECRET = "hunter2-Zq9";
const URL_TEXT = `smtp://alerts%40example.org:${SECRET}@mail.example.org:587/?to=ops@example.org`;
const REDACTED = "smtp://alerts%40example.org:***@mail.example.org:587/?to=ops@example.org";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-channel-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function secretFile(name: string, text: string, mode: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode); // explicit: the umask must not decide the test
  return path;
}

function refusal(load: () => unknown): AppError {
  let caught: unknown;
  try {
    load();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect(error.code).toBe("CONFIG_INVALID");
  expect(error.message).not.toContain(SECRET);
  expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
  return error;
}

function entry(input: unknown): ChannelEntry {
  return ChannelEntrySchema.parse(input);
}

describe("channel config", () => {
  test("url given inline", () => {
    const channel = loadChannel(entry({ name: "ops-mail", url: URL_TEXT }), {});
    expect(channel).toMatchObject({ name: "ops-mail", scheme: "smtp", redacted: REDACTED });
  });

  test("url_file readable by its owner only; trailing newline ignored", async () => {
    const path = await secretFile("ok.url", `${URL_TEXT}\n`, 0o600);
    expect(loadChannel(entry({ name: "ops-mail", url_file: path }), {}).redacted).toBe(REDACTED);
    // Group-readable is fine (a service group sharing a credential); only "every user" is refused.
    const group = await secretFile("group.url", URL_TEXT, 0o640);
    expect(loadChannel(entry({ name: "ops-mail", url_file: group }), {}).redacted).toBe(REDACTED);
  });

  test("a world-readable url_file is refused, naming the file and the fix", async () => {
    const path = await secretFile("open.url", URL_TEXT, 0o644);
    const error = refusal(() => loadChannel(entry({ name: "ops-mail", url_file: path }), {}));
    expect(error.message).toBe(
      `channel ops-mail: url_file ${path} is readable by every user (mode 644); chmod o-r it`,
    );
  });

  test("a missing url_file is named", () => {
    const path = join(dir, "absent.url");
    const error = refusal(() => loadChannel(entry({ name: "ops-mail", url_file: path }), {}));
    expect(error.message).toBe(`channel ops-mail: cannot read url_file ${path} (ENOENT)`);
  });

  test("url_env from the environment given, a missing variable named", () => {
    const channel = loadChannel(entry({ name: "ops-mail", url_env: "OPS_MAIL_URL" }), {
      OPS_MAIL_URL: URL_TEXT,
    });
    expect(channel.redacted).toBe(REDACTED);
    const error = refusal(() => loadChannel(entry({ name: "ops-mail", url_env: "OPS_MAIL_URL" }), {}));
    expect(error.message).toBe("channel ops-mail: environment variable OPS_MAIL_URL is not set or empty");
  });

  test("a bad URL from any source is refused without quoting it, saying where it came from", async () => {
    const bad = `smtpx://u:${SECRET}@mail.example.org/`;
    const path = await secretFile("bad.url", bad, 0o600);
    const fromFile = refusal(() => loadChannel(entry({ name: "ops-mail", url_file: path }), {}));
    expect(fromFile.message).toContain("unknown scheme");
    expect(fromFile.message).toContain(`(url from url_file ${path})`);
    const fromEnv = refusal(() =>
      loadChannel(entry({ name: "ops-mail", url_env: "X" }), { X: `smtp://u:${SECRET}@h/` }),
    );
    expect(fromEnv.message).toContain("(url from environment variable X)");
    refusal(() => loadChannel(entry({ name: "ops-mail", url: `not a url ${SECRET}` }), {}));
  });

  test("the schema: exactly one source, a valid name, no other keys; never the secret in its issues", () => {
    const cases: unknown[] = [
      { name: "ops-mail", url: URL_TEXT, url_env: "OPS_MAIL_URL" },
      { name: "ops-mail", url: URL_TEXT, url_file: "/run/secrets/ops" },
      { name: "ops-mail" },
      { name: "Ops Mail", url: URL_TEXT },
      { name: "ops-mail", url: URL_TEXT, token: SECRET },
      { name: "ops-mail", url_file: "relative/path" },
      { name: "ops-mail", url_env: `${SECRET}=1` },
    ];
    for (const input of cases) {
      const result = ChannelEntrySchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(JSON.stringify(result.error?.issues)).not.toContain(SECRET);
    }
    const two = ChannelEntrySchema.safeParse(cases[0]);
    expect(two.error?.issues[0]?.message).toBe("give exactly one of url, url_file, url_env");
  });
});
