import { PIN_PATTERN } from "../../collector/src/enroll/installer-script.ts";

const HTTPS_URL = /^https:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * The one line that installs the agent on another host, printed by `bun run up --listen` and the docs:
 * curl fetches install.sh only from the server holding the pinned key (`-k` because the certificate is
 * self-signed: the pin is the check), and the script re-uses the pin for the binary, its SHA-256 and the
 * enrollment. Each part is held to a pattern with no shell metacharacter, so the line is safe to paste.
 * The token travels as the installer's argument; the installer's other ways to take it (a file, stdin)
 * drop in after `sh -s --`.
 */
export function pinnedInstallLine(input: { collectorUrl: string; pin: string; token: string }): string {
  if (!HTTPS_URL.test(input.collectorUrl))
    throw new Error(`not an https://host[:port] URL: ${input.collectorUrl}`);
  if (!PIN_PATTERN.test(input.pin)) throw new Error(`not a sha256// pin: ${input.pin}`);
  if (!TOKEN.test(input.token)) throw new Error("not an enrollment token");
  return `curl --pinnedpubkey ${input.pin} -kfsS ${input.collectorUrl}/install.sh | sudo sh -s -- --token ${input.token}`;
}
