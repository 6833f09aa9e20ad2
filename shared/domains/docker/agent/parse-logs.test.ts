import { describe, expect, test } from "bun:test";
import { parseLogFrames, parseLogs } from "./parse-logs.ts";

/** One frame of Docker's multiplexed stream: type, three zero bytes, size (uint32 BE), payload. */
function frame(type: 0 | 1 | 2, payload: string): Buffer {
  const body = Buffer.from(payload, "utf8");
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.byteLength, 4);
  return Buffer.concat([header, body]);
}

describe("parseLogs", () => {
  test("frames become lines with their stream and timestamp, in the order sent", () => {
    const body = Buffer.concat([
      frame(1, "2026-11-25T02:41:17.123456789Z out-1\n"),
      frame(2, "2026-11-25T02:41:18Z err-1\n"),
      frame(1, "2026-11-25T02:41:19Z out-2\n2026-11-25T02:41:19Z out-3\n"),
    ]);
    expect(parseLogs(body)).toEqual([
      { stream: "stdout", timestamp: "2026-11-25T02:41:17.123456789Z", text: "out-1" },
      { stream: "stderr", timestamp: "2026-11-25T02:41:18Z", text: "err-1" },
      { stream: "stdout", timestamp: "2026-11-25T02:41:19Z", text: "out-2" },
      { stream: "stdout", timestamp: "2026-11-25T02:41:19Z", text: "out-3" },
    ]);
  });

  test("a line split over frames is joined per stream; a multi-byte character survives the cut", () => {
    const euro = Buffer.from("€", "utf8");
    const first = Buffer.concat([Buffer.from("2026-11-25T02:41:17Z price 5"), euro.subarray(0, 1)]);
    const second = Buffer.concat([euro.subarray(1), Buffer.from(" ok\n")]);
    const frameOf = (type: 1 | 2, payload: Buffer): Buffer => {
      const header = Buffer.alloc(8);
      header[0] = type;
      header.writeUInt32BE(payload.byteLength, 4);
      return Buffer.concat([header, payload]);
    };
    const body = Buffer.concat([frameOf(1, first), frame(2, "boom\n"), frameOf(1, second)]);
    expect(parseLogs(body)).toEqual([
      { stream: "stderr", timestamp: null, text: "boom" },
      { stream: "stdout", timestamp: "2026-11-25T02:41:17Z", text: "price 5€ ok" },
    ]);
  });

  test("a last frame cut short (the byte cap) keeps what arrived", () => {
    const body = Buffer.concat([frame(1, "a\n"), frame(2, "2026-11-25T02:41:17Z long line\n")]);
    expect(parseLogs(body.subarray(0, body.byteLength - 6))).toEqual([
      { stream: "stdout", timestamp: null, text: "a" },
      { stream: "stderr", timestamp: "2026-11-25T02:41:17Z", text: "long" },
    ]);
  });

  test("a TTY container's raw stream is lines of one merged stream, CR LF endings dropped", () => {
    const body = Buffer.from("2026-11-25T02:41:17Z tty-1\r\n2026-11-25T02:41:17Z tty-err\r\n");
    expect(parseLogs(body)).toEqual([
      { stream: "tty", timestamp: "2026-11-25T02:41:17Z", text: "tty-1" },
      { stream: "tty", timestamp: "2026-11-25T02:41:17Z", text: "tty-err" },
    ]);
    expect(parseLogs(new Uint8Array(0))).toEqual([]);
  });

  test("a damaged frame header costs its own frame; the frames after it are read", () => {
    const frames = [
      frame(1, "2026-11-25T02:41:17Z out-1\n"),
      frame(2, "2026-11-25T02:41:18Z err-1\n"),
      frame(1, "2026-11-25T02:41:19Z out-2\n"),
      frame(2, "2026-11-25T02:41:20Z err-2\n"),
    ];
    const clean = parseLogFrames(Buffer.concat(frames));
    expect(clean.errors).toEqual([]);
    for (const damage of [
      (f: Buffer) => Buffer.concat([Buffer.from([9, 9, 9, 9]), f.subarray(4)]),
      (f: Buffer) => f.subarray(0, 5),
      (f: Buffer) => Buffer.concat([f.subarray(0, 4), Buffer.from([255, 255, 255, 255]), f.subarray(8)]),
    ]) {
      const body = Buffer.concat(frames.map((f, i) => (i === 1 ? damage(f) : f)));
      const parsed = parseLogFrames(body);
      expect(parsed.items).toEqual(clean.items.filter((l) => l.text !== "err-1"));
      expect(parsed.errors).toMatchObject([
        { name: `byte ${frames[0]?.byteLength}`, error: { code: "PARSE_FAILED", line: null } },
      ]);
    }
  });
});
