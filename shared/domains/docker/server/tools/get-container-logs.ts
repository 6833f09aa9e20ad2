import { DEFAULT_DOCKER_SOCKET } from "@infrastructor/lib/exec/docker-socket.ts";
import {
  describeProvenance,
  type Provenance,
  ProvenanceSchema,
} from "@infrastructor/mcp/answer/provenance.ts";
import { ContainerArg, DeviceArg, SinceArg, sinceToDate } from "@infrastructor/mcp/args/names.ts";
import { agentConfigOf } from "@infrastructor/mcp/live/collector-live-source.ts";
import { defineTool, READ_ONLY } from "@infrastructor/mcp/tools/tool.ts";
import { AppError, ErrorCode, toAppError } from "@infrastructor/shared/errors.ts";
import { z } from "zod";
import { type LogLine, parseLogs } from "../../agent/parse-logs.ts";
import { containerLogsPath, dockerGetChecked } from "../../agent/read.ts";
import { readDocker } from "./containers/docker-data.ts";
import { findContainer } from "./containers/find-container.ts";

const DEFAULT_TAIL = 100;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TAIL = 5_000;
/** What the engine may send at most (tail bounds it first); past it the newest lines are lost. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Characters of log text in one answer, the newest kept. */
const MAX_TEXT_CHARS = 200_000;
const MAX_LINE_CHARS = 2_000;

export const getContainerLogs = defineTool({
  name: "get_container_logs",
  title: "Container logs",
  description:
    "The latest log lines of one container, read live from the Docker Engine API on the device (like " +
    "`docker logs --timestamps --tail N`): each line with its stream (stdout, stderr; `tty` for a container " +
    "with a terminal, where both are merged) and timestamp, oldest first. `tail` lines (default 100, at most " +
    "5000) from `since` when given. Long answers keep the newest lines and say `truncated: true`.",
  input: {
    device: DeviceArg,
    container_name: ContainerArg,
    since: SinceArg.optional(),
    tail: z
      .number()
      .int()
      .min(1)
      .max(MAX_TAIL)
      .optional()
      .describe(`How many of the newest lines (default ${DEFAULT_TAIL}, at most ${MAX_TAIL}).`),
  },
  output: {
    device: z.string(),
    container: z.object({ name: z.string(), id: z.string(), state: z.string() }),
    summary: z.object({
      lines: z.number(),
      stdout: z.number(),
      stderr: z.number(),
      first_timestamp: z.string().nullable(),
      last_timestamp: z.string().nullable(),
    }),
    lines: z.array(
      z.object({
        stream: z.enum(["stdout", "stderr", "tty"]),
        timestamp: z.string().nullable(),
        text: z.string(),
      }),
    ),
    tail: z.number(),
    since: z.string().nullable(),
    truncated: z.boolean().describe("lines were dropped (oldest first) or shortened to fit the answer"),
    provenance: ProvenanceSchema,
  },
  annotations: READ_ONLY,
  async run(ctx, args) {
    const tail = args.tail ?? DEFAULT_TAIL;
    const since = args.since === undefined ? null : sinceToDate(args.since);
    if (since !== null && Number.isNaN(since.getTime())) {
      throw new AppError(ErrorCode.INVALID_ARGUMENT, `since: not a valid time: ${args.since}`);
    }
    // The stored list names the container; the logs are read live anyway, so no live collect first.
    const { answer, data } = await readDocker(ctx, args.device, "never");
    const device = answer.device;
    const container = findContainer(data, device.hostname, args.container_name);
    if (ctx.live === null) {
      throw new AppError(
        ErrorCode.HOST_UNREACHABLE,
        `container logs are read live from ${device.hostname}, and this server has no live access (SSH) configured`,
        { details: { device: device.hostname } },
      );
    }
    const executor = ctx.live.executor(device);
    const { socket, timeout_ms } = agentConfigOf(device).domains.docker.options;
    const read = (ref: string) =>
      dockerGetChecked(
        executor,
        containerLogsPath(ref, { tail, sinceS: since === null ? undefined : since.getTime() / 1000 }),
        {
          socket: socket ?? DEFAULT_DOCKER_SOCKET,
          timeoutMs: timeout_ms ?? DEFAULT_TIMEOUT_MS,
          encoding: "base64",
          maxBytes: MAX_BODY_BYTES,
        },
      );
    // A container recreated since the stored sample has a new id under the same name: the engine resolves names.
    const res = await read(container.id)
      .catch((err: unknown) => {
        if (toAppError(err).code === ErrorCode.NOT_FOUND) return read(container.name);
        throw err;
      })
      .catch((err: unknown) => {
        const e = toAppError(err);
        if (e.code !== ErrorCode.NOT_FOUND) throw e;
        throw new AppError(
          ErrorCode.NOT_FOUND,
          `container ${container.name} (${container.id.slice(0, 12)}) no longer exists on ${device.hostname}; list_containers shows what is there now`,
          { details: { device: device.hostname, container: container.name } },
        );
      });
    const capped = capLines(parseLogs(Buffer.from(res.body, "base64")));
    const lines = capped.lines;
    const provenance: Provenance = {
      device: device.hostname,
      domain: "docker",
      source: "live",
      observed_at: new Date().toISOString(),
      age_s: 0,
      stale: false,
    };
    const count = (s: LogLine["stream"]): number => lines.filter((l) => l.stream === s).length;
    const summary = {
      lines: lines.length,
      stdout: count("stdout"),
      stderr: count("stderr"),
      first_timestamp: lines.find((l) => l.timestamp !== null)?.timestamp ?? null,
      last_timestamp: lines.findLast((l) => l.timestamp !== null)?.timestamp ?? null,
    };
    const truncated = res.truncated || capped.truncated;
    const head = [
      `${device.hostname}/${container.name} (${container.state}): ${lines.length} lines (${summary.stdout} stdout, ${summary.stderr} stderr), tail ${tail}${since === null ? "" : ` since ${since.toISOString()}`}${truncated ? "; TRUNCATED (oldest lines dropped or long lines shortened)" : ""}.`,
      describeProvenance(provenance),
    ];
    const STREAM = { stdout: "out", stderr: "ERR", tty: "tty" } as const;
    return {
      structured: {
        device: device.hostname,
        container: { name: container.name, id: container.id, state: container.state },
        summary,
        lines,
        tail,
        since: since?.toISOString() ?? null,
        truncated,
        provenance,
      },
      text: [...head, ...lines.map((l) => `${l.timestamp ?? "-"} ${STREAM[l.stream]} ${l.text}`)].join("\n"),
    };
  },
});

/** Long lines shortened, then the newest lines that fit MAX_TEXT_CHARS. */
function capLines(all: LogLine[]): { lines: LogLine[]; truncated: boolean } {
  let truncated = false;
  const kept: LogLine[] = [];
  let chars = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const line = all[i] as LogLine;
    const text = line.text.length > MAX_LINE_CHARS ? `${line.text.slice(0, MAX_LINE_CHARS)}…` : line.text;
    if (text !== line.text) truncated = true;
    if (chars + text.length > MAX_TEXT_CHARS) {
      truncated = true;
      break;
    }
    chars += text.length;
    kept.push(text === line.text ? line : { ...line, text });
  }
  return { lines: kept.reverse(), truncated };
}
