import { PIN_PATTERN } from "../../collector/src/enroll/installer-script.ts";

const HTTPS_URL = /^https:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

/**
 * The one line that installs the agent on another host, printed by `bun run up --listen` and the docs:
 * curl fetches install.sh only from the server holding the pinned key (`-k` because the certificate is
 * self-signed: the pin is the check), and the script re-uses the pin for the binary, its SHA-256 and the
 * enrollment. Each part is held to a pattern with no shell metacharacter, so the line is safe to paste.
 * The token is not on the line: the installer asks for it on the terminal (every local user of the host
 * can read a process's command line), so it is printed beside the line, to be pasted at the prompt.
 */
export function pinnedInstallLine(input: { collectorUrl: string; pin: string }): string {
  if (!HTTPS_URL.test(input.collectorUrl))
    throw new Error(`not an https://host[:port] URL: ${input.collectorUrl}`);
  if (!PIN_PATTERN.test(input.pin)) throw new Error(`not a sha256// pin: ${input.pin}`);
  return `curl --pinnedpubkey ${input.pin} -kfsS ${input.collectorUrl}/install.sh | sudo sh`;
}
