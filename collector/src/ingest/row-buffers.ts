import { TIME_SERIES_TABLE_NAMES, type TimeSeriesTable } from "./tables.ts";

/** One batch's rows, already in COPY text form, per table. */
export class RowBuffers {
  private readonly text = new Map<TimeSeriesTable, string>();
  private readonly counts = new Map<TimeSeriesTable, number>();
  private total = 0;
  /** Earliest sample time written: the rollup refresh starts there (late data after an outage). */
  earliestMs = Number.POSITIVE_INFINITY;

  /** `lines`: one or more complete COPY lines (each ending in \n) for `table`, `rows` of them. */
  append(table: TimeSeriesTable, timeMs: number, lines: string, rows = 1): void {
    this.text.set(table, (this.text.get(table) ?? "") + lines);
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows);
    this.total += rows;
    if (timeMs < this.earliestMs) this.earliestMs = timeMs;
  }

  /** Tables with rows, in a fixed order so concurrent writers lock in the same order. */
  tables(): TimeSeriesTable[] {
    return TIME_SERIES_TABLE_NAMES.filter((table) => (this.counts.get(table) ?? 0) > 0);
  }

  copyText(table: TimeSeriesTable): string {
    return this.text.get(table) ?? "";
  }

  rowCount(table?: TimeSeriesTable): number {
    return table ? (this.counts.get(table) ?? 0) : this.total;
  }
}
