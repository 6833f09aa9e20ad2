import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import type { Channel } from "./channel.ts";
import { channelFromUrl } from "./channel-url.ts";

/**
 * One channel of the alert config. The URL carries the secret (password, token, webhook id), so
 * besides `url` it may come from a file (`url_file`, e.g. a systemd credential or a Docker secret,
 * not readable by every user) or from an environment variable (`url_env`), which keeps it out of
 * the config file the operator keeps in git. Exactly one of the three.
 */
export const ChannelEntrySchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be 1-32 of a-z 0-9 _ -, starting with a letter"),
    url: z.string().min(1).optional(),
    url_file: z.string().startsWith("/", "must be an absolute path").optional(),
    url_env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
      .optional(),
  })
  .refine(
    (entry) =>
      [entry.url, entry.url_file, entry.url_env].filter((source) => source !== undefined).length === 1,
    "give exactly one of url, url_file, url_env",
  );

export type ChannelEntry = z.infer<typeof ChannelEntrySchema>;

/** A secret file's text and its mode bits, read from one open descriptor (no swap between stat and read). */
export interface SecretFile {
  text: string;
  mode: number;
}

export type ReadSecretFile = (path: string) => SecretFile;

export function readSecretFile(path: string): SecretFile {
  const fd = openSync(path, "r");
  try {
    return { mode: fstatSync(fd).mode, text: readFileSync(fd, "utf8") };
  } finally {
    closeSync(fd);
  }
}

/**
 * The channel an entry names, its URL read from wherever the entry says. Every refusal is
 * CONFIG_INVALID naming the channel and the source (a path, a variable name), never the URL.
 */
export function loadChannel(
  entry: ChannelEntry,
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadSecretFile = readSecretFile,
): Channel {
  const { url, source } = urlOf(entry, env, readFile);
  try {
    return channelFromUrl(entry.name, url);
  } catch (error) {
    if (!(error instanceof AppError) || source === null) throw error;
    // Where the bad URL came from helps the operator; the message already names the channel.
    throw new AppError(error.code, `${error.message} (url from ${source})`, { details: error.details });
  }
}

function urlOf(
  entry: ChannelEntry,
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadSecretFile,
): { url: string; source: string | null } {
  return secretUrl(entry, `channel ${entry.name}`, env, readFile, { channel: entry.name });
}

/** Where a secret URL may come from: exactly one of the three (the config's schema holds to it). */
export interface SecretUrlSource {
  url?: string | undefined;
  url_file?: string | undefined;
  url_env?: string | undefined;
}

/**
 * A URL that carries a secret (a channel's, the dead-man's switch's ping), read from where `from`
 * says: inline, an environment variable, or a file not readable by every user. Every refusal is
 * CONFIG_INVALID naming `owner` ("channel phone", "dead_man") and the source, never the URL.
 */
export function secretUrl(
  from: SecretUrlSource,
  owner: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadSecretFile = readSecretFile,
  details: Record<string, unknown> = {},
): { url: string; source: string | null } {
  const invalid = (what: string): AppError =>
    new AppError(ErrorCode.CONFIG_INVALID, `${owner}: ${what}`, { details });
  if (from.url !== undefined) return { url: from.url, source: null };
  if (from.url_env !== undefined) {
    const value = env[from.url_env]?.trim();
    if (value === undefined || value === "")
      throw invalid(`environment variable ${from.url_env} is not set or empty`);
    return { url: value, source: `environment variable ${from.url_env}` };
  }
  if (from.url_file !== undefined) {
    let file: SecretFile;
    try {
      file = readFile(from.url_file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "read failed";
      throw invalid(`cannot read url_file ${from.url_file} (${code})`);
    }
    if ((file.mode & 0o004) !== 0) {
      throw invalid(
        `url_file ${from.url_file} is readable by every user (mode ${(file.mode & 0o777).toString(8)}); chmod o-r it`,
      );
    }
    const value = file.text.trim();
    if (value === "") throw invalid(`url_file ${from.url_file} is empty`);
    return { url: value, source: `url_file ${from.url_file}` };
  }
  // The schema guarantees one source; an entry built without it is a programming error, said plainly.
  throw invalid("gives none of url, url_file, url_env");
}
