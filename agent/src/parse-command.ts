import { type Domain, isKnownDomain } from "@infrastructor/shared/domains.ts";
import { AppError } from "@infrastructor/shared/errors.ts";
import { PARSE_SOURCES } from "./parse-sources.ts";

export const PARSE_USAGE = `Usage: agent parse <domain> <source> < FILE

Runs one of the agent's parsers on a captured output (read from stdin) and prints the normalized JSON.
Exit 0 when it parses, 2 with the line it could not read otherwise. Paste the output into a bug report.

Sources:
${Object.entries(PARSE_SOURCES)
  .flatMap(([domain, sources]) =>
    Object.entries(sources ?? {}).map(([name, s]) => `  ${`${domain} ${name}`.padEnd(30)} ${s.describe}`),
  )
  .join("\n")}
`;

export interface ParseIo {
  stdin(): Promise<string>;
  out(text: string): void;
  err(text: string): void;
}

/** `agent parse <domain> <source>`: resolves to the exit status. */
export async function parseCommand(argv: string[], io: ParseIo): Promise<number> {
  const [domain, source, ...rest] = argv;
  if (domain === "--help" || domain === "-h") {
    io.out(PARSE_USAGE);
    return 0;
  }
  if (domain === undefined || source === undefined || rest.length > 0) {
    io.err(PARSE_USAGE);
    return 2;
  }
  const sources = isKnownDomain(domain) ? PARSE_SOURCES[domain as Domain] : undefined;
  const parser = sources?.[source];
  if (!parser) {
    io.err(`no parser ${domain} ${source}\n\n${PARSE_USAGE}`);
    return 2;
  }
  const text = await io.stdin();
  try {
    io.out(`${JSON.stringify(parser.parse(text), null, 2)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const excerpt = err.details?.excerpt;
    io.err(`${err.code}: ${err.message}${typeof excerpt === "string" ? `\n  > ${excerpt}` : ""}\n`);
    return 2;
  }
}
