import type { TimeSeriesTableSpec } from "./domain-writer.ts";
import { TIME_SERIES_TABLES } from "./writers.ts";

/**
 * One batch's rows in COPY text form, per table, encoded into growing byte buffers as they come.
 * Building one big string per table and converting it at the end cost a quarter of the collector's
 * CPU under bench/ingest (flattening a rope of thousands of pieces, then a multi-MiB allocation);
 * writing each row's bytes straight into a buffer that doubles when full costs a fraction of that.
 */
class ByteBuilder {
  private buf = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  write(text: string): void {
    // COPY lines are ASCII except inside text values; utf8 byteLength is exact for both.
    const needed = this.length + Buffer.byteLength(text);
    if (needed > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.length += this.buf.write(text, this.length, "utf8");
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

export class RowBuffers {
  private readonly data = new Map<string, ByteBuilder>();
  private readonly counts = new Map<string, number>();
  private total = 0;
  /** Earliest sample time written: the rollup refresh starts there (late data after an outage). */
  earliestMs = Number.POSITIVE_INFINITY;

  /** `lines`: one or more complete COPY lines (each ending in \n) for `table`, `rows` of them. */
  append(table: string, timeMs: number, lines: string, rows = 1): void {
    let builder = this.data.get(table);
    if (!builder) {
      builder = new ByteBuilder();
      this.data.set(table, builder);
    }
    builder.write(lines);
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows);
    this.total += rows;
    if (timeMs < this.earliestMs) this.earliestMs = timeMs;
  }

  /** Tables with rows, in a fixed order so concurrent writers lock in the same order. */
  tables(): TimeSeriesTableSpec[] {
    return TIME_SERIES_TABLES.filter((table) => (this.counts.get(table.name) ?? 0) > 0);
  }

  /** The table's COPY input, as bytes (a view, valid until the next append). */
  copyData(table: string): Buffer {
    return this.data.get(table)?.bytes() ?? Buffer.alloc(0);
  }

  rowCount(table?: string): number {
    return table ? (this.counts.get(table) ?? 0) : this.total;
  }
}
