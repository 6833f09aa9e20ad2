import { parseFailed } from "@infrastructor/lib/collect/parse-error.ts";
import type { ItemsParse } from "@infrastructor/lib/collect/parse-items.ts";
import { itemError } from "@infrastructor/lib/collect/parse-items.ts";
import type { ItemError } from "@infrastructor/shared/schemas/source-result.ts";

/** One line of a container's log, as `docker logs --timestamps` shows it. */
export interface LogLine {
  /** stdout or stderr; `tty` for a container with a terminal, whose engine merges both streams. */
  stream: "stdout" | "stderr" | "tty";
  /** The engine's RFC 3339 timestamp (nanoseconds on docker, seconds on podman); null when absent. */
  timestamp: string | null;
  text: string;
}

const NEWLINE = 0x0a;
const HEADER_BYTES = 8;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) ?/;
const decoder = new TextDecoder("utf-8");

/** The lines alone (see parseLogFrames), for callers that show no item errors. */
export function parseLogs(bytes: Uint8Array): LogLine[] {
  return parseLogFrames(bytes).items;
}

/**
 * `GET /containers/{id}/logs` as lines. Without a TTY the engine multiplexes both streams in frames,
 * each an 8-byte header (stream type: 0 stdin, 1 stdout, 2 stderr; three zero bytes; payload size,
 * uint32 big-endian) and its payload; with a TTY it sends the raw terminal bytes. The two are told
 * apart by the first header, which no text output starts with. A frame may hold several lines or part
 * of one, so lines are cut per stream; a last frame cut short (the byte cap) keeps what arrived.
 * Bytes where a header should be that are not one (a damaged frame) are an item error naming their
 * offset; reading goes on at the next header that the frame after it confirms, so one bad frame
 * costs its own bytes, not every frame after it.
 */
export function parseLogFrames(bytes: Uint8Array): ItemsParse<LogLine> {
  if (bytes.byteLength === 0) return { items: [], errors: [] };
  if (!isFrameHeader(bytes, 0)) return { items: splitLines(bytes, "tty").lines, errors: [] };
  const lines: LogLine[] = [];
  const errors: ItemError[] = [];
  const pending: Record<"stdout" | "stderr", Uint8Array> = {
    stdout: new Uint8Array(0),
    stderr: new Uint8Array(0),
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + HEADER_BYTES <= bytes.byteLength) {
    if (!isFrameHeader(bytes, offset)) {
      const next = nextHeader(bytes, view, offset + 1);
      errors.push(damagedFrame(bytes, offset, next));
      if (next === null) break;
      offset = next;
      continue;
    }
    const stream = bytes[offset] === 2 ? "stderr" : "stdout";
    const size = view.getUint32(offset + 4);
    const start = offset + HEADER_BYTES;
    // A frame running past the end is the byte cap's cut, unless whole frames follow inside it: then
    // its size was damaged, and taking it would swallow them.
    const next = start + size > bytes.byteLength ? nextHeader(bytes, view, offset + 1) : null;
    if (next !== null) {
      errors.push(damagedFrame(bytes, offset, next));
      offset = next;
      continue;
    }
    const end = Math.min(start + size, bytes.byteLength);
    const { lines: complete, rest } = splitLines(concat(pending[stream], bytes.subarray(start, end)), stream);
    lines.push(...complete.slice(0, rest === null ? complete.length : -1));
    pending[stream] = rest ?? new Uint8Array(0);
    offset = end;
  }
  for (const stream of ["stdout", "stderr"] as const) {
    if (pending[stream].byteLength > 0) lines.push(toLine(pending[stream], stream));
  }
  return { items: lines, errors };
}

function isFrameHeader(bytes: Uint8Array, at: number): boolean {
  const type = bytes[at] ?? 255;
  return type <= 2 && bytes[at + 1] === 0 && bytes[at + 2] === 0 && bytes[at + 3] === 0;
}

/**
 * The next offset from `from` that is a frame header whose frame ends exactly at the end of the body
 * or at another header: four header-like bytes inside a payload are rarely followed by that too.
 */
function nextHeader(bytes: Uint8Array, view: DataView, from: number): number | null {
  for (let at = from; at + HEADER_BYTES <= bytes.byteLength; at++) {
    if (!isFrameHeader(bytes, at)) continue;
    const end = at + HEADER_BYTES + view.getUint32(at + 4);
    if (end === bytes.byteLength || (end + HEADER_BYTES <= bytes.byteLength && isFrameHeader(bytes, end))) {
      return at;
    }
  }
  return null;
}

function damagedFrame(bytes: Uint8Array, offset: number, next: number | null): ItemError {
  const skipped = (next ?? bytes.byteLength) - offset;
  const text = decoder.decode(bytes.subarray(offset, offset + Math.min(skipped, 200)));
  const err = parseFailed(
    "GET /containers/{id}/logs",
    `bytes ${offset}..${offset + skipped} are not a stream frame (${skipped} bytes skipped)`,
  );
  return itemError({ name: `byte ${offset}`, line: null, text }, err);
}

/** Lines of `bytes`; `rest` is the unfinished last line's bytes (also given as the last line), if any. */
function splitLines(
  bytes: Uint8Array,
  stream: LogLine["stream"],
): { lines: LogLine[]; rest: Uint8Array | null } {
  const lines: LogLine[] = [];
  let start = 0;
  for (let i = 0; i < bytes.byteLength; i++) {
    if (bytes[i] !== NEWLINE) continue;
    lines.push(toLine(bytes.subarray(start, i), stream));
    start = i + 1;
  }
  if (start >= bytes.byteLength) return { lines, rest: null };
  const rest = bytes.subarray(start);
  lines.push(toLine(rest, stream));
  return { lines, rest };
}

function toLine(bytes: Uint8Array, stream: LogLine["stream"]): LogLine {
  const text = decoder.decode(bytes).replace(/\r$/, "");
  const match = TIMESTAMP.exec(text);
  if (match === null) return { stream, timestamp: null, text };
  return { stream, timestamp: match[1] as string, text: text.slice(match[0].length) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b;
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
