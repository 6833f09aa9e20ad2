import { describe, expect, test } from "bun:test";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { quoteArgv } from "./quote-argv.ts";

/** Runs the quoted line through a real `sh -c`, as sshd's login shell would, and returns the argv it saw. */
async function argvSeenByShell(args: readonly string[]): Promise<string[]> {
  const line = quoteArgv(["printf", "%s\\0", ...args]);
  const proc = Bun.spawn(["sh", "-c", line], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  // printf ends every argument with NUL; the last split piece is the empty tail after the final NUL.
  return out.split("\0").slice(0, -1);
}

describe("quoteArgv", () => {
  const hostile = [
    "; rm -rf /",
    "$(id)",
    "`id`",
    "a\nid",
    "--help",
    "it's",
    "'",
    "''",
    '"double" \\ backslash',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
    "$HOME ${PATH} $((1+1))",
    "* ? [a-z]",
    "a && b || c | d > /tmp/x < /etc/passwd &",
    "../../etc/passwd",
    "",
    " leading and trailing ",
    "tab\there\r\n",
    "ünïcødé ✓",
  ];

  test("every hostile argument reaches the program intact, one argv element each", async () => {
    expect(await argvSeenByShell(hostile)).toEqual(hostile);
  });

  test("each hostile argument alone, too (no reliance on neighbours)", async () => {
    for (const arg of hostile) expect(await argvSeenByShell([arg])).toEqual([arg]);
  });

  test("a command substitution never runs: a marker file stays absent", async () => {
    const marker = `/tmp/quote-argv-${process.pid}-${Date.now()}`;
    await argvSeenByShell([`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`]);
    expect(await Bun.file(marker).exists()).toBe(false);
  });

  test("quotes every element, the program too", () => {
    expect(quoteArgv(["cat", "--", "/etc/os-release"])).toBe("'cat' '--' '/etc/os-release'");
    expect(quoteArgv(["echo", "it's"])).toBe("'echo' 'it'\\''s'");
  });

  test("refuses an empty argv, an empty program and NUL bytes with INVALID_ARGUMENT", () => {
    for (const bad of [[], [""], ["echo", "a\0b"], ["ec\0ho"]]) {
      let caught: unknown;
      try {
        quoteArgv(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe(ErrorCode.INVALID_ARGUMENT);
    }
  });
});
