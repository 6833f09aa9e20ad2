import { ENROLL_TOKEN_USAGE, enrollTokenCli } from "./enroll-token-cli.ts";
import { NATS_USAGE, natsCli } from "./nats-cli.ts";
import { TLS_USAGE, tlsCli } from "./tls-cli.ts";

/**
 * The collector's operator commands: `nats init|issue|revoke|list` (per-host NATS credentials) and
 * `enroll-token create|list|revoke` (installer enrollment), `tls init` (the site's certificate). Exit 0 done, 1 failed, 2 usage error.
 */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [group] = argv;
  if (group === "nats") return natsCli(argv, env, out, err);
  if (group === "enroll-token") return enrollTokenCli(argv, env, out, err);
  if (group === "tls") return tlsCli(argv, out, err);
  err(
    `unknown command: ${group ?? "(none)"}\n${NATS_USAGE}\n${ENROLL_TOKEN_USAGE.replace("usage:\n", "")}\n${TLS_USAGE.replace("usage:\n", "")}`,
  );
  return 2;
}

if (import.meta.main) {
  const code = await main(
    process.argv.slice(2),
    process.env,
    (line) => console.log(line),
    (line) => console.error(line),
  );
  process.exit(code);
}
