import { type CopyValue, copyLine } from "./copy-text.ts";
import { TIME_SERIES_TABLE_NAMES, type TimeSeriesTable, TimeSeriesTables } from "./tables.ts";

/** One batch's rows, already in COPY text form, per table. */
export class RowBuffers {
  private readonly text = new Map<TimeSeriesTable, string[]>();
  private readonly counts = new Map<TimeSeriesTable, number>();
  /** Earliest sample time written: the rollup refresh starts there (late data after an outage). */
  earliestMs = Number.POSITIVE_INFINITY;

  add(table: TimeSeriesTable, timeMs: number, values: readonly CopyValue[]): void {
    if (values.length !== TimeSeriesTables[table].length) {
      throw new Error(`${table}: ${values.length} values for ${TimeSeriesTables[table].length} columns`);
    }
    let lines = this.text.get(table);
    if (!lines) {
      lines = [];
      this.text.set(table, lines);
    }
    lines.push(copyLine(values));
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
    if (timeMs < this.earliestMs) this.earliestMs = timeMs;
  }

  /** Tables with rows, in a fixed order so concurrent writers lock in the same order. */
  tables(): TimeSeriesTable[] {
    return TIME_SERIES_TABLE_NAMES.filter((table) => (this.counts.get(table) ?? 0) > 0);
  }

  copyText(table: TimeSeriesTable): string {
    return (this.text.get(table) ?? []).join("");
  }

  rowCount(table?: TimeSeriesTable): number {
    if (table) return this.counts.get(table) ?? 0;
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }
}
