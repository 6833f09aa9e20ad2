import { toAppError } from "@infrastructor/shared/errors.ts";
import { ensureTlsMaterial } from "./tls/tls-material.ts";

export const TLS_USAGE = `usage:
  tls init DIR --san NAME [--san NAME...]   a site CA and a server certificate for these names/addresses
                                            in DIR (kept if they already name them); prints the pin`;

/** `tls init`: the certificate the collector serves HTTPS with and nats-server serves TLS with. */
export async function tlsCli(
  argv: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [, verb, dir, ...rest] = argv;
  const sans: string[] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const value = rest[i + 1];
    if (rest[i] !== "--san" || value === undefined) {
      err(TLS_USAGE);
      return 2;
    }
    sans.push(value);
  }
  if (verb !== "init" || dir === undefined || sans.length === 0) {
    err(TLS_USAGE);
    return 2;
  }
  try {
    const m = ensureTlsMaterial(dir, sans);
    out(`COLLECTOR_TLS_CERT=${m.certFile}`);
    out(`COLLECTOR_TLS_KEY=${m.keyFile}`);
    out(`NATS_CA=${m.caFile}`);
    out(`pin ${m.pin}`);
    return 0;
  } catch (e) {
    const appError = toAppError(e);
    err(`${appError.code}: ${appError.message}`);
    return 1;
  }
}
