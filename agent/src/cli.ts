import { parseArgs } from "node:util";
import { AppError, ErrorCode } from "@infrastructor/shared/errors.ts";
import { buildCollectors } from "./build-collectors.ts";
import { collectOnce } from "./collect-once.ts";
import { DEFAULT_CONFIG_PATH, loadConfig } from "./config.ts";
import { ENV_OVERRIDES } from "./config-env.ts";
import { createEnvelopeFactory } from "./envelope-factory.ts";
import { createLogger, type Logger } from "./logger.ts";
import { parseCommand } from "./parse-command.ts";
import { startAgent } from "./run-agent.ts";
import { AGENT_VERSION } from "./version.ts";

/** Exit statuses; 78 (EX_CONFIG) lets a systemd unit skip restarts with RestartPreventExitStatus=78. */
export const ExitCode = { OK: 0, FAILED: 1, USAGE: 2, CONFIG: 78 } as const;

/** A stop that hangs (a wedged disk, a stuck socket) must not keep a SIGTERMed agent alive. */
const HARD_STOP_MS = 10_000;

export const USAGE = `infrastructor-agent ${AGENT_VERSION}: samples this machine and publishes to NATS JetStream.

Usage: agent [--config <file>] [--once]
       agent parse <domain> <source> < FILE    (agent parse --help lists the sources)

  -c, --config <file>  JSON config file (default ${DEFAULT_CONFIG_PATH}, or INFRA_AGENT_CONFIG);
                       a missing default file means defaults plus environment
      --once           collect every enabled domain once, print the envelopes as a JSON array on
                       stdout and exit, without touching NATS
  -h, --help           this text
  -v, --version        the agent version

Environment (wins over the file):
${ENV_OVERRIDES.map((o) => `  ${o.env.padEnd(26)} ${o.path.join(".")}`).join("\n")}
`;

/** Runs the agent as the command line says; resolves to the exit status. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "parse") {
    return await parseCommand(argv.slice(1), {
      stdin: readStdin,
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  }
  let args: { config?: string; once?: boolean; help?: boolean; version?: boolean };
  try {
    args = parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        once: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return ExitCode.USAGE;
  }
  if (args.help) return write(USAGE);
  if (args.version) return write(`${AGENT_VERSION}\n`);

  let logger: Logger = createLogger("info");
  try {
    const config = loadConfig(args.config === undefined ? {} : { configPath: args.config });
    logger = createLogger(config.logLevel);
    const collectors = buildCollectors(config);
    if (args.once) {
      const envelopes = await collectOnce(collectors, createEnvelopeFactory({ host: config.host }), logger);
      return write(`${JSON.stringify(envelopes, null, 2)}\n`);
    }
    const agent = startAgent({ config, collectors, logger });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    logger.info({ signal }, "stopping");
    const hardStop = setTimeout(() => {
      logger.error({ after_ms: HARD_STOP_MS }, "stop hung; exiting anyway (the spool on disk is intact)");
      process.exit(ExitCode.FAILED);
    }, HARD_STOP_MS);
    await agent.stop();
    clearTimeout(hardStop);
    return ExitCode.OK;
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.CONFIG_INVALID) {
      logger.fatal({ code: err.code, details: err.details }, err.message);
      return ExitCode.CONFIG;
    }
    logger.fatal({ err }, "agent failed");
    return ExitCode.FAILED;
  }
}

/** Awaits the write, so a piped `--once` is not cut short by the exit that follows. */
async function write(text: string): Promise<number> {
  await Bun.write(Bun.stdout, text);
  return ExitCode.OK;
}

/** All of stdin. Streamed: Bun.stdin.text() trusts the file size, and /proc files say 0. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
