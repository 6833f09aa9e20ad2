import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";

const DEPLOY_DIR = join(import.meta.dir, "../../../deploy");
/** The files install.sh carries inside it, so `curl ... | sh` needs nothing else from the collector. */
const EMBEDDED = [
  "systemd/infrastructor-agent.service",
  "systemd/smartctl-sudo.conf",
  "openrc/infrastructor-agent",
  "supervise/infrastructor-agent-supervise",
  "smart/smartctl-read",
] as const;
const EMBED_LINE = /^@@embed ([a-z/.-]+)@@$/gm;
const HEREDOC_END = "INFRA_EMBED_EOF";
const DEFAULT_LINE = /^DEFAULT_COLLECTOR=''$/m;
const PIN_LINE = /^DEFAULT_PIN=''$/m;
/** curl's --pinnedpubkey form of a SHA-256 SPKI pin: base64 only, safe between single quotes. */
export const PIN_PATTERN = /^sha256\/\/[A-Za-z0-9+/]{43}=$/;
/** What may be written into the script between single quotes: no quote, no space, no `$`. */
export const PUBLIC_URL_PATTERN = /^https?:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

let template: Promise<string> | null = null;

/**
 * deploy/install.sh as served: the service files spliced into its heredocs, the collector's URL as the
 * default for --collector and, over HTTPS, its certificate's public-key pin as the default for --pin
 * (the script came through a connection pinned to that key, so every later download uses it too). Both
 * are checked against strict patterns before they are written into shell text; the embedded files
 * cannot end a heredoc early.
 */
export async function installerScript(publicUrl: string, pin: string | null = null): Promise<string> {
  if (!PUBLIC_URL_PATTERN.test(publicUrl)) {
    throw new AppError(
      ErrorCode.INVALID_ARGUMENT,
      `cannot serve install.sh for collector URL ${JSON.stringify(publicUrl)}: set COLLECTOR_PUBLIC_URL (e.g. http://hub.lan:9101)`,
    );
  }
  template ??= buildTemplate().catch((err: unknown) => {
    template = null;
    throw err;
  });
  if (pin !== null && !PIN_PATTERN.test(pin)) {
    throw new AppError(ErrorCode.INTERNAL, "the certificate pin is not sha256//<base64>");
  }
  return (await template)
    .replace(DEFAULT_LINE, `DEFAULT_COLLECTOR='${publicUrl}'`)
    .replace(PIN_LINE, `DEFAULT_PIN='${pin ?? ""}'`);
}

async function buildTemplate(): Promise<string> {
  const script = await readFile(join(DEPLOY_DIR, "install.sh"), "utf8");
  const files = new Map<string, string>();
  for (const name of EMBEDDED) {
    const text = await readFile(join(DEPLOY_DIR, name), "utf8");
    if (text.split("\n").includes(HEREDOC_END)) throw new Error(`${name} holds the line ${HEREDOC_END}`);
    files.set(name, text.replace(/\n$/, ""));
  }
  if (!DEFAULT_LINE.test(script)) throw new Error("deploy/install.sh has no DEFAULT_COLLECTOR='' line");
  if (!PIN_LINE.test(script)) throw new Error("deploy/install.sh has no DEFAULT_PIN='' line");
  return script.replace(EMBED_LINE, (_line, name: string) => {
    const text = files.get(name);
    if (text === undefined) throw new Error(`deploy/install.sh embeds ${name}, which is not in the list`);
    return text;
  });
}
