import { afterEach, beforeEach, expect, test } from "bun:test";
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testEnvelope } from "../../test/envelopes.ts";
import { Spool } from "./spool.ts";
import { listSegments, segmentPath } from "./spool-files.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "infra-spool-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Takes everything out of the spool, acking as it goes, and returns the seqs in the order read. */
function drain(spool: Spool, batch = 7): number[] {
  const seqs: number[] = [];
  for (;;) {
    const { envelopes, first } = spool.peek(batch);
    if (envelopes.length === 0) return seqs;
    seqs.push(...envelopes.map((e) => e.seq));
    spool.ack(first + envelopes.length);
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

test("gives envelopes back oldest first across segments, and deletes sent segments", () => {
  const spool = Spool.open({ dir, maxBytes: 1024 ** 2, segmentBytes: 1024 });
  for (const seq of range(0, 50)) spool.append(testEnvelope(seq));
  expect(spool.size).toBe(50);
  expect(listSegments(dir).length).toBeGreaterThan(3);
  expect(drain(spool)).toEqual(range(0, 50));
  expect(spool.isEmpty).toBe(true);
  expect(listSegments(dir)).toEqual([]);
  expect(spool.dropped).toBe(0);
});

test("appends made while a batch is out go behind it", () => {
  const spool = Spool.open({ dir, maxBytes: 1024 ** 2, segmentBytes: 1024 });
  for (const seq of range(0, 3)) spool.append(testEnvelope(seq));
  const batch = spool.peek(10);
  spool.append(testEnvelope(3));
  spool.ack(batch.first + batch.envelopes.length);
  expect(drain(spool)).toEqual([3]);
});

test("when full, drops the oldest segment, counts the loss and keeps the newest", () => {
  const size = Buffer.byteLength(`${JSON.stringify(testEnvelope(100))}\n`);
  const spool = Spool.open({ dir, maxBytes: size * 40, segmentBytes: size * 10 });
  for (const seq of range(100, 200)) spool.append(testEnvelope(seq));
  expect(spool.bytes).toBeLessThanOrEqual(size * 40);
  const kept = drain(spool);
  expect(kept.at(-1)).toBe(199);
  expect(kept).toEqual(range(200 - kept.length, 200));
  expect(spool.dropped).toBe(100 - kept.length);
  expect(spool.dropped).toBeGreaterThan(0);
  spool.acknowledgeDropped(spool.dropped);
  expect(spool.dropped).toBe(0);
});

test("a drop while a batch is out makes its late ack harmless", () => {
  const size = Buffer.byteLength(`${JSON.stringify(testEnvelope(100))}\n`);
  const spool = Spool.open({ dir, maxBytes: size * 20, segmentBytes: size * 5 });
  for (const seq of range(100, 120)) spool.append(testEnvelope(seq));
  const batch = spool.peek(5);
  spool.append(testEnvelope(120)); // drops 100..104, the batch in flight
  spool.ack(batch.first + batch.envelopes.length);
  expect(drain(spool)).toEqual(range(105, 121));
  expect(spool.dropped).toBe(5);
});

test("survives a reopen: unsent envelopes, the read position and the drop count", () => {
  const size = Buffer.byteLength(`${JSON.stringify(testEnvelope(100))}\n`);
  const first = Spool.open({ dir, maxBytes: size * 40, segmentBytes: size * 10 });
  for (const seq of range(100, 150)) first.append(testEnvelope(seq));
  const batch = first.peek(4);
  first.ack(batch.first + 4);
  const dropped = first.dropped;
  expect(dropped).toBeGreaterThan(0);
  const remaining = first.size;
  first.close();

  const second = Spool.open({ dir, maxBytes: size * 40, segmentBytes: size * 10 });
  expect(second.dropped).toBe(dropped);
  expect(second.size).toBe(remaining);
  expect(drain(second)).toEqual(range(150 - remaining, 150));
  second.append(testEnvelope(150));
  expect(drain(second)).toEqual([150]);
});

test("a torn last line and a garbage line are dropped and counted, the rest replayed", () => {
  const spool = Spool.open({ dir, maxBytes: 1024 ** 2 });
  for (const seq of range(0, 3)) spool.append(testEnvelope(seq));
  spool.close();
  const [id] = listSegments(dir);
  const file = segmentPath(dir, id as number);
  const lines = readFileSync(file, "utf8").split("\n");
  writeFileSync(file, [lines[0], "{not json", lines[1], lines[2], ""].join("\n"));
  appendFileSync(file, '{"v":1,"host":"torn'); // a crash mid-write

  const reopened = Spool.open({ dir, maxBytes: 1024 ** 2 });
  expect(drain(reopened, 10)).toEqual([0, 1, 2]);
  expect(reopened.dropped).toBe(1);
});

test("a crash between 'state saved' and 'segment deleted' replays nothing twice", () => {
  const spool = Spool.open({ dir, maxBytes: 1024 ** 2, segmentBytes: 300 });
  for (const seq of range(0, 6)) spool.append(testEnvelope(seq));
  const segments = listSegments(dir);
  const firstFile = segmentPath(dir, segments[0] as number);
  const saved = readFileSync(firstFile);
  const { envelopes, first } = spool.peek(100);
  spool.ack(first + envelopes.length); // the whole first segment: state moves on, file deleted
  spool.close();
  writeFileSync(firstFile, saved); // as if the unlink never happened

  const reopened = Spool.open({ dir, maxBytes: 1024 ** 2, segmentBytes: 300 });
  expect(drain(reopened)).toEqual(range(envelopes.length, 6));
  expect(readdirSync(dir)).not.toContain(firstFile.split("/").at(-1));
});
